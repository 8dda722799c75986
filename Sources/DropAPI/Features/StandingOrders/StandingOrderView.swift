import DropCore
import DropStore
import Foundation

/// A standing transfer as the API shows it (`/v1/standing-orders…`). The NOK amount is fixed;
/// what the recipient gets is priced at each payment day's rate, so only its currency is known ahead.
public struct StandingOrderView: Encodable, Sendable {
    public struct RecipientRef: Encodable, Sendable {
        public let id: String
        public let name: String
        public let country: String
    }

    public struct Payment: Encodable, Sendable {
        public let transactionId: String
        public let status: TransferStatus
        public let total: Money
        public let receive: Money?
        public let createdAt: Date
    }

    public let id: String
    public let status: StandingOrderStatus
    /// NOK sent each time, the fee on it, and what leaves the account each time.
    public let amount: Money
    public let fee: Money
    public let total: Money
    public let receiveCurrency: String
    public let frequency: StandingOrderFrequency
    /// The day of the month (monthly, quarterly) or the ISO weekday (weekly, fortnightly).
    public let dayOfExecution: Int
    public let startDate: String
    public let endDate: String?
    /// The next payment day while it runs; nil otherwise.
    public let nextPaymentDate: String?
    public let recipient: RecipientRef?
    public let bankAccountId: String
    public let message: String?
    /// Why Drop stopped it (`erasure`, `not_available`, `bank`), when it did; an AML block reads
    /// `not_available` (`CustomerFacingReason`).
    public let stopReason: String?
    /// The order this one changes or resumes.
    public let replacesId: String?
    /// Where to approve it at the bank, while it waits for that.
    public let scaRedirect: String?
    public let createdAt: Date
    public let payments: [Payment]?

    init(_ record: StandingOrderRecord, recipient: RecipientRecord?, payments: [StandingOrderPayment]? = nil, today: CalendarDate) {
        id = record.id
        status = record.status
        amount = Money(minorUnits: record.amountMinor, currency: .nok)
        fee = Money(minorUnits: record.feeMinor, currency: .nok)
        total = Money(minorUnits: record.totalMinor, currency: .nok)
        receiveCurrency = record.receiveCurrency
        frequency = record.frequency
        dayOfExecution = record.dayOfExecution
        startDate = record.startDate
        endDate = record.endDate
        nextPaymentDate = [.active, .pendingSCA].contains(record.status) ? record.nextPaymentDay(from: today)?.iso : nil
        // Named as approved: an edit of the recipient since then does not change whom the order pays.
        self.recipient = recipient.map { RecipientRef(id: $0.id, name: record.payee?.name ?? $0.name, country: record.payee?.country ?? $0.country) }
        bankAccountId = record.bankAccountId
        message = record.message
        stopReason = CustomerFacingReason.of(record.stopReason)
        replacesId = record.replacesId
        scaRedirect = record.status == .pendingSCA ? record.scaRedirect : nil
        createdAt = record.createdAt
        self.payments = payments?.map { Payment(transactionId: $0.transactionId, status: $0.status, total: $0.total, receive: $0.receive, createdAt: $0.createdAt) }
    }
}
