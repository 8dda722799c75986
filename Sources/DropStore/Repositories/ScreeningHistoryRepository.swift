import DropCore
import Foundation
import SQLKit

/// One of a customer's earlier payments as AML screening reads it.
public struct ScreenedPayment: Sendable, Equatable {
    public let id: String
    public let kind: TransactionKind
    public let amountMinor: Int64
    /// The recipient's or the merchant's id.
    public let payeeId: String
    /// The recipient's country; NO for a merchant (Drop's merchants are Norwegian).
    public let country: String
    public let status: TransferStatus
    public let createdAt: Date
}

public enum ScreeningHistoryRepository {
    /// The person's remittances and QR payments created since `since`, in any status: from this account
    /// and from any they erased (`UserRepository.samePerson`).
    public static func payments(userId: String, since: Date, on db: any SQLDatabase) async throws -> [ScreenedPayment] {
        try await db.raw("""
            SELECT t.id, t.kind, t.amount_minor, t.status, t.created_at, COALESCE(t.recipient_id, t.merchant_id) AS payee_id,
                CASE WHEN t.kind = 'qr_payment' THEN 'NO' ELSE t.payee_country END AS country
            FROM transactions t
            WHERE t.user_id IN \(UserRepository.samePerson(as: userId)) AND t.created_at >= \(bind: since)
            """).all().map { row in
                ScreenedPayment(id: try row.decode(column: "id", as: String.self), kind: try row.decode(column: "kind", caseOf: TransactionKind.self),
                                amountMinor: try row.decode(column: "amount_minor", as: Int64.self),
                                payeeId: try row.decode(column: "payee_id", as: String?.self) ?? "",
                                country: try row.decode(column: "country", as: String?.self) ?? "",
                                status: try row.decode(column: "status", caseOf: TransferStatus.self), createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }
}
