import DropCore
import DropStore
import Foundation
import SQLKit

/// A transaction as the API shows it (`GET /v1/transactions…`, the 201 of a new transfer).
public struct TransactionView: Encodable, Sendable {
    public struct RecipientRef: Encodable, Sendable {
        public let id: String
        public let name: String
        public let country: String
    }

    /// Who a QR payment paid (public details only).
    public struct MerchantRef: Encodable, Sendable {
        public let id: String
        public let code: String
        public let name: String
        public let city: String
    }

    public struct MoneyReturn: Encodable, Sendable {
        /// `pending` until the partner confirms it, then `returned`.
        public let status: String
        public let requestedAt: Date
        public let returnedAt: Date?
    }

    public struct HistoryEntry: Encodable, Sendable {
        public let status: String
        public let at: Date
        public let reason: String
    }

    public let id: String
    public let kind: String
    public let status: String
    /// What the recipient's side is priced from (NOK, before the fee).
    public let amount: Money
    public let fee: Money
    /// What leaves the user's account: amount + fee.
    public let total: Money
    public let receive: Money?
    public let rate: String?
    public let recipient: RecipientRef?
    public let merchantId: String?
    public let merchant: MerchantRef?
    public let bankAccountId: String?
    /// A remittance's message to the recipient; a QR payment's text the payer typed on a static code.
    public let message: String?
    /// A QR payment's order reference, fixed by the merchant's signature (never the payer's text).
    public let reference: String?
    /// Whether this QR payment paid a signed one-purchase code.
    public let paymentLinkSigned: Bool?
    public let endToEndId: String
    /// Where to approve the payment, while it waits for that.
    public let scaRedirect: String?
    public let failureReason: String?
    /// The NOK on its way back through the payout partner (a failed payout, or money the bank
    /// settled after the transfer had ended); nil when nothing is to be returned.
    public let moneyReturn: MoneyReturn?
    public let createdAt: Date
    public let updatedAt: Date
    public let completedAt: Date?
    public let history: [HistoryEntry]?

    static let columns = """
        t.id, t.kind, t.status, t.amount_minor, t.currency, t.fee_minor, t.total_minor, t.target_amount_minor, t.target_currency,
        t.rate, t.recipient_id, t.merchant_id, t.bank_account_id, t.message, t.reference, t.payment_link_id, t.end_to_end_id, t.sca_redirect,
        t.failure_reason, t.return_requested_at, t.returned_at, t.created_at, t.updated_at, t.completed_at, t.payee_name AS recipient_name, t.payee_country AS recipient_country,
        m.code AS merchant_code, m.name AS merchant_name, m.city AS merchant_city
        """

    /// The tables `columns` reads, joined.
    // The payee is the transfer's own snapshot, never the recipient as edited since.
    static let tables = "transactions t LEFT JOIN merchants m ON m.id = t.merchant_id"

    init(row: any SQLRow, history: [HistoryEntry]? = nil) throws {
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        id = try row.decode(column: "id", as: String.self)
        kind = try row.decode(column: "kind", as: String.self)
        status = try row.decode(column: "status", as: String.self)
        amount = Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency)
        fee = Money(minorUnits: try row.decode(column: "fee_minor", as: Int64.self), currency: currency)
        total = Money(minorUnits: try row.decode(column: "total_minor", as: Int64.self), currency: currency)
        let target = try row.decode(column: "target_amount_minor", as: Int64?.self)
        let targetCurrency = try row.decode(column: "target_currency", as: String?.self)
        receive = target.flatMap { amount in targetCurrency.flatMap(Currency.init(rawValue:)).map { Money(minorUnits: amount, currency: $0) } }
        rate = try row.decode(column: "rate", as: String?.self)
        if let recipientId = try row.decode(column: "recipient_id", as: String?.self) {
            recipient = RecipientRef(id: recipientId, name: try row.decode(column: "recipient_name", as: String?.self) ?? "",
                                     country: try row.decode(column: "recipient_country", as: String?.self) ?? "")
        } else {
            recipient = nil
        }
        merchantId = try row.decode(column: "merchant_id", as: String?.self)
        if let merchantId, let code = try row.decode(column: "merchant_code", as: String?.self) {
            merchant = MerchantRef(id: merchantId, code: code, name: try row.decode(column: "merchant_name", as: String?.self) ?? "",
                                   city: try row.decode(column: "merchant_city", as: String?.self) ?? "")
        } else {
            merchant = nil
        }
        bankAccountId = try row.decode(column: "bank_account_id", as: String?.self)
        message = try row.decode(column: "message", as: String?.self)
        reference = try row.decode(column: "reference", as: String?.self)
        paymentLinkSigned = kind == "qr_payment" ? try row.decode(column: "payment_link_id", as: String?.self) != nil : nil
        endToEndId = try row.decode(column: "end_to_end_id", as: String.self)
        scaRedirect = status == TransferStatus.pendingSCA.rawValue ? try row.decode(column: "sca_redirect", as: String?.self) : nil
        failureReason = try row.decode(column: "failure_reason", as: String?.self)
        let returnedAt = try row.decode(column: "returned_at", as: Date?.self)
        moneyReturn = try row.decode(column: "return_requested_at", as: Date?.self).map {
            MoneyReturn(status: returnedAt == nil ? "pending" : "returned", requestedAt: $0, returnedAt: returnedAt)
        }
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
        completedAt = try row.decode(column: "completed_at", as: Date?.self)
        self.history = history
    }

    /// The user's transaction with its status history; nil when it isn't theirs.
    static func find(id: String, userId: String, on db: any SQLDatabase) async throws -> TransactionView? {
        guard let row = try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: tables)
            WHERE t.id = \(bind: id) AND t.user_id = \(bind: userId)
            """).first() else { return nil }
        let events = try await db.raw("""
            SELECT from_status, to_status, at, reason FROM transaction_events WHERE transaction_id = \(bind: id) ORDER BY at
            """).all().map { (from: try $0.decode(column: "from_status", as: String?.self),
                              entry: HistoryEntry(status: try $0.decode(column: "to_status", as: String.self), at: try $0.decode(column: "at", as: Date.self),
                                                  reason: try $0.decode(column: "reason", as: String.self))) }
        return try TransactionView(row: row, history: chained(events))
    }

    /// A transaction this request has just written; its absence is a bug, not the caller's.
    static func written(id: String, userId: String, in database: Database) async throws -> TransactionView {
        guard let view = try await database.read({ try await find(id: id, userId: userId, on: $0) }) else { throw AppError.internalError }
        return view
    }

    /// Events in the order the statuses followed each other: moves in one DB transaction share a
    /// timestamp (created and held at once; approved and settled by one bank report).
    static func chained(_ events: [(from: String?, entry: HistoryEntry)]) -> [HistoryEntry] {
        var remaining = events
        var ordered: [HistoryEntry] = []
        var current: String? = nil
        while !remaining.isEmpty {
            let next = remaining.firstIndex { $0.from == current } ?? 0
            let event = remaining.remove(at: next)
            ordered.append(event.entry)
            current = event.entry.status
        }
        return ordered
    }
}
