import DropCore
import DropStore
import Foundation

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
        public enum Status: String, Encodable, Sendable {
            /// Asked of the partner; the money is on its way back.
            case pending
            /// The partner confirmed the money is back in the customer's account.
            case returned
        }

        public let status: Status
        public let requestedAt: Date
        public let returnedAt: Date?
    }

    public struct HistoryEntry: Encodable, Sendable {
        public let status: TransferStatus
        public let at: Date
        public let reason: String
    }

    public let id: String
    public let kind: TransactionKind
    public let status: TransferStatus
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
    /// The standing transfer this is one payment of.
    public let standingOrderId: String?
    public let endToEndId: String
    /// Where to approve the payment, while it waits for that.
    public let scaRedirect: String?
    /// Why it failed; an AML decision reads `not_available` (`CustomerFacingReason`).
    public let failureReason: String?
    /// The NOK on its way back through the payout partner (a failed payout, or money the bank
    /// settled after the transfer had ended); nil when nothing is to be returned.
    public let moneyReturn: MoneyReturn?
    /// When the payer's bank paid this QR payment after Drop had ended it (cancelled, expired or
    /// failed): the status stays, but the money left the account and the shop has it. Nil otherwise.
    public let settledAfterEndAt: Date?
    public let createdAt: Date
    public let updatedAt: Date
    public let completedAt: Date?
    public let history: [HistoryEntry]?

    init(record: TransactionRecord, history: [HistoryEntry]? = nil) {
        id = record.id
        kind = record.kind
        status = record.status
        amount = record.amount
        fee = record.fee
        total = record.total
        receive = record.receive
        rate = record.rate
        recipient = record.recipientId.map { RecipientRef(id: $0, name: record.recipientName ?? "", country: record.recipientCountry ?? "") }
        merchantId = record.merchantId
        if let merchantId, let merchant = record.merchant {
            self.merchant = MerchantRef(id: merchantId, code: merchant.code, name: merchant.name ?? "", city: merchant.city ?? "")
        } else {
            merchant = nil
        }
        bankAccountId = record.bankAccountId
        message = record.message
        reference = record.reference
        paymentLinkSigned = record.kind == .qrPayment ? record.paymentLinkId != nil : nil
        standingOrderId = record.standingOrderId
        endToEndId = record.endToEndId
        scaRedirect = record.status == .pendingSCA ? record.scaRedirect : nil
        failureReason = CustomerFacingReason.of(record.failureReason)
        moneyReturn = record.returnRequestedAt.map {
            MoneyReturn(status: record.returnedAt == nil ? .pending : .returned, requestedAt: $0, returnedAt: record.returnedAt)
        }
        settledAfterEndAt = record.kind == .qrPayment && [.cancelled, .expired, .failed].contains(record.status) ? record.fundsReceivedAt : nil
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        completedAt = record.completedAt
        self.history = history
    }

    /// The user's transaction with its status history; nil when it isn't theirs.
    static func find(id: String, userId: String, on db: DatabaseConnection) async throws -> TransactionView? {
        guard let (record, moves) = try await CustomerTransactionRepository.find(id: id, userId: userId, on: db) else { return nil }
        let events = moves.map { (from: $0.fromStatus, entry: HistoryEntry(status: $0.toStatus, at: $0.at, reason: $0.reason)) }
        return TransactionView(record: record, history: chained(events))
    }

    /// A transaction this request has just written; its absence is a bug, not the caller's.
    static func written(id: String, userId: String, in database: Database) async throws -> TransactionView {
        guard let view = try await database.withConnection({ try await find(id: id, userId: userId, on: $0) }) else { throw AppError.internalError }
        return view
    }

    /// Events in the order the statuses followed each other: moves in one DB transaction share a
    /// timestamp (created and held at once; approved and settled by one bank report).
    static func chained(_ events: [(from: TransferStatus?, entry: HistoryEntry)]) -> [HistoryEntry] {
        var remaining = events
        var ordered: [HistoryEntry] = []
        var current: TransferStatus? = nil
        while !remaining.isEmpty {
            let next = remaining.firstIndex { $0.from == current } ?? 0
            let event = remaining.remove(at: next)
            ordered.append(event.entry)
            current = event.entry.status
        }
        return ordered
    }
}
