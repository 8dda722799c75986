import DropCore
import DropStore
import Foundation

/// `GET /v1/merchants/me/dashboard`: the payments to the merchant in a period with their status,
/// and what the shop received (completed, or paid by the bank after Drop ended it), per Oslo day and in all.
public struct MerchantDashboardService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public struct Payment: Codable, Sendable {
        public let id: String
        public let status: TransferStatus
        public let amount: Money
        /// The order reference the merchant's signed one-purchase code fixed; never a payer's text.
        public let reference: String?
        /// What a payer typed on the static code: their words, not proof of an order. Nil until the
        /// payer approved it at the bank (`PayerMessageVisibility`).
        public let payerMessage: String?
        public let createdAt: Date
        public let completedAt: Date?
        /// When the payer's bank reported this completed payment reversed: not to be relied on
        /// until Drop has confirmed it with the bank. Nil when never.
        public let reversalReportedAt: Date?
        /// When the payer's bank paid this after Drop had ended it (cancelled, expired or failed): the
        /// status stays, but the shop has the money and must not ask for it again. Nil otherwise.
        public let settledAfterEndAt: Date?

        /// Money the shop has: completed, or paid by the bank after Drop ended it.
        var received: Bool { status == .completed || settledAfterEndAt != nil }

        init(record: MerchantPaymentRecord) {
            id = record.id
            status = record.status
            amount = record.amount
            reference = record.reference
            payerMessage = PayerMessageVisibility.shown(status: record.status, settledAfterEnd: record.settledAfterEndAt != nil) ? record.message : nil
            createdAt = record.createdAt
            completedAt = record.completedAt
            reversalReportedAt = record.reversalReportedAt
            settledAfterEndAt = record.settledAfterEndAt
        }
    }

    public struct Day: Codable, Sendable {
        /// The Oslo calendar date, `YYYY-MM-DD`.
        public let date: String
        public let count: Int
        public let total: Money
    }

    public struct Dashboard: Codable, Sendable {
        public let from: Date
        public let to: Date
        /// Newest first, every status (at most `paymentLimit`).
        public let payments: [Payment]
        /// Payments completed, or paid by the bank after Drop ended them, per Oslo day the payment
        /// was made, oldest first.
        public let days: [Day]
        /// Payments completed, or paid by the bank after Drop ended them, in the period and their sum.
        public let count: Int
        public let total: Money
        /// What Drop charged for them. QR payments are free for payer and merchant (docs/architecture.md,
        /// "What Drop is"), so this is 0 until a merchant price exists.
        public let fees: Money
        /// The newest event number: a page starts its live stream from here.
        public let lastEventId: Int64
    }

    static let paymentLimit = 200
    static let maximumPeriod: TimeInterval = 366 * 24 * 3600

    /// The period is [from, to); by default today in Oslo.
    public func dashboard(merchant: MerchantRecord, from: Date?, to: Date?) async throws -> Dashboard {
        let today = OsloCalendar.calendar.startOfDay(for: clock())
        let from = from ?? today
        let to = to ?? OsloCalendar.calendar.date(byAdding: .day, value: 1, to: from) ?? from.addingTimeInterval(86_400)
        guard from < to, to.timeIntervalSince(from) <= Self.maximumPeriod else {
            throw AppError.validation("The period must start before it ends and span at most a year.",
                                      details: [ErrorDetail(field: "to", issue: "range")])
        }
        let (records, lastEventId) = try await database.withConnection { db in
            (try await MerchantPaymentRepository.payments(merchantId: merchant.id, from: from, to: to, on: db),
             try await MerchantRepository.lastEventSeq(merchantId: merchant.id, on: db))
        }
        let payments = records.map(Payment.init(record:))
        let received = payments.filter(\.received)
        var perDay: [String: (count: Int, minor: Int64)] = [:]
        for payment in received {
            let day = OsloCalendar.today(payment.createdAt).iso
            perDay[day, default: (0, 0)].count += 1
            perDay[day, default: (0, 0)].minor += payment.amount.minorUnits
        }
        let days = perDay.keys.sorted().map { Day(date: $0, count: perDay[$0]!.count, total: Money(minorUnits: perDay[$0]!.minor, currency: .nok)) }
        return Dashboard(from: from, to: to, payments: Array(payments.prefix(Self.paymentLimit)), days: days, count: received.count,
                         total: Money(minorUnits: received.reduce(0) { $0 + $1.amount.minorUnits }, currency: .nok),
                         fees: .zero(.nok), lastEventId: lastEventId)
    }

    /// One payment to the merchant (what its "payment received" notification opens); 404 for
    /// anything else, someone else's payments included.
    public func payment(merchant: MerchantRecord, id: String) async throws -> Payment {
        guard UUID(uuidString: id) != nil, let record = try await database.withConnection({
            try await MerchantPaymentRepository.payment(merchantId: merchant.id, id: id, on: $0)
        }) else { throw AppError.notFound("There is no such payment.") }
        return Payment(record: record)
    }

    /// `YYYY-MM-DD` is that Oslo day's midnight (for `to`: the next midnight, so the day is
    /// included); anything else must be an RFC 3339 time.
    static func bound(_ value: String?, field: String, end: Bool) throws -> Date? {
        guard let value, !value.isEmpty else { return nil }
        let bound: Date
        if let date = try? CalendarDate(iso: value),
           let start = OsloCalendar.calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) {
            bound = end ? OsloCalendar.calendar.date(byAdding: .day, value: 1, to: start) ?? start : start
        } else if let time = try? Date(value, strategy: .iso8601) {
            bound = time
        } else {
            throw AppError.validation("\(field) must be a date (YYYY-MM-DD) or an RFC 3339 time.", details: [ErrorDetail(field: field, issue: "format")])
        }
        try QueryParameter.inAcceptedRange(bound, field: field)
        return bound
    }
}
