import DropCore
import Foundation
import SQLKit

/// A QR payment as its merchant sees it: no payer, only what was paid and for what.
public struct MerchantPaymentRecord: Sendable, Equatable {
    public let id: String
    public let status: TransferStatus
    public let amount: Money
    /// The order reference the merchant's signed one-purchase code fixed.
    public let reference: String?
    /// What a payer typed on the static code.
    public let message: String?
    public let createdAt: Date
    public let completedAt: Date?
    /// When the payer's bank reported the completed payment reversed (the newest report); nil if never.
    public let reversalReportedAt: Date?
    /// When the payer's bank paid a payment Drop had ended (cancelled, expired or failed): the shop
    /// has the money though the status says otherwise; nil otherwise.
    public let settledAfterEndAt: Date?
}

/// The payments to a merchant.
public enum MerchantPaymentRepository {
    static let columns = """
        id, status, amount_minor, currency, reference, message, created_at, completed_at,
        (SELECT e.at FROM merchant_events e WHERE e.transaction_id = transactions.id AND e.kind = 'reversal_reported'
         ORDER BY e.seq DESC LIMIT 1) AS reversal_reported_at,
        CASE WHEN status IN ('cancelled', 'expired', 'failed') THEN funds_received_at END AS settled_after_end_at
        """

    /// Every payment to the merchant created in `from..<to`, newest first.
    public static func payments(merchantId: String, from: Date, to: Date, on db: DatabaseConnection) async throws -> [MerchantPaymentRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM transactions
            WHERE merchant_id = \(bind: merchantId) AND created_at >= \(bind: from) AND created_at < \(bind: to)
            ORDER BY created_at DESC, id DESC
            """).all().map(record)
    }

    /// One payment to the merchant; nil for anything else, someone else's payments included.
    public static func payment(merchantId: String, id: String, on db: DatabaseConnection) async throws -> MerchantPaymentRecord? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM transactions WHERE merchant_id = \(bind: merchantId) AND id = \(bind: id)
            """).first().map(record)
    }

    /// Who was paid by the QR payment (the shop's public name too) and how much; nil when it paid no merchant.
    public static func payee(ofTransaction transactionId: String, on db: DatabaseConnection) async throws
        -> (merchantId: String, merchantUserId: String, name: String, amount: Money)? {
        guard let row = try await db.raw("""
            SELECT m.id AS merchant_id, m.user_id, m.name, t.amount_minor, t.currency FROM transactions t JOIN merchants m ON m.id = t.merchant_id
            WHERE t.id = \(bind: transactionId)
            """).first() else { return nil }
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        return (try row.decode(column: "merchant_id", as: String.self), try row.decode(column: "user_id", as: String.self),
                try row.decode(column: "name", as: String.self),
                Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency))
    }

    private static func record(_ row: any SQLRow) throws -> MerchantPaymentRecord {
        MerchantPaymentRecord(
            id: try row.decode(column: "id", as: String.self), status: try row.decode(column: "status", caseOf: TransferStatus.self),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self),
                          currency: Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok),
            reference: try row.decode(column: "reference", as: String?.self), message: try row.decode(column: "message", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), completedAt: try row.decode(column: "completed_at", as: Date?.self),
            reversalReportedAt: try row.decode(column: "reversal_reported_at", as: Date?.self),
            settledAfterEndAt: try row.decode(column: "settled_after_end_at", as: Date?.self))
    }
}
