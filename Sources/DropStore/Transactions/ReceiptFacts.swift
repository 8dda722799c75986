import Foundation
import SQLKit

/// What a receipt says beyond the transaction itself: who paid from which account, and the payee
/// exactly as snapshotted when the transfer was made (never the recipient as edited since).
public struct ReceiptFacts: Sendable, Equatable {
    public var payerName: String?
    public var accountName: String?
    public var accountBBAN: String?
    public var accountIBAN: String?
    public var accountBankId: String?
    /// nil for a QR payment (it pays a merchant).
    public var payee: PayeeSnapshot?

    /// The user's own transaction's facts; nil for a missing or someone else's transaction.
    public static func find(transactionId: String, userId: String, on db: any SQLDatabase) async throws -> ReceiptFacts? {
        guard let row = try await db.raw("""
            SELECT \(unsafeRaw: PayeeSnapshot.columns), CASE WHEN u.deleted_at IS NULL THEN u.name END AS payer_name, a.name AS account_name, a.bban AS account_bban,
                   a.iban AS account_iban, a.bank_id AS account_bank_id
            FROM transactions t
            JOIN users u ON u.id = t.user_id
            LEFT JOIN bank_accounts a ON a.id = t.bank_account_id
            WHERE t.id = \(bind: transactionId) AND t.user_id = \(bind: userId)
            """).first() else { return nil }
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        return ReceiptFacts(payerName: try text("payer_name"), accountName: try text("account_name"), accountBBAN: try text("account_bban"),
                            accountIBAN: try text("account_iban"), accountBankId: try text("account_bank_id"), payee: try PayeeSnapshot(row: row))
    }
}
