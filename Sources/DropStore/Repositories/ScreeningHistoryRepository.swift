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
    /// Who was paid: a remittance's payee account as snapshotted (`AMLPayeeAccount.name`), a QR payment's merchant.
    public let payeeAccount: String
    /// The recipient's country; NO for a merchant (Drop's merchants are Norwegian).
    public let country: String
    public let status: TransferStatus
    /// The bank reported the money settled (`funds_received_at`): it left the customer's account, whatever `status` says.
    public let fundsReceived: Bool
    public let createdAt: Date
    /// When the bank reported it settled: its money left then (a held transfer released days after it was made).
    public var fundsReceivedAt: Date?
}

public enum ScreeningHistoryRepository {
    /// The person's remittances and QR payments created since `since`, in any status: from this account
    /// and from any they erased (`UserRepository.samePerson`).
    public static func payments(userId: String, since: Date, on db: any SQLDatabase) async throws -> [ScreenedPayment] {
        try await db.raw("""
            SELECT t.id, t.kind, t.amount_minor, t.status, t.funds_received_at, t.created_at, COALESCE(t.recipient_id, t.merchant_id) AS payee_id,
                t.payee_iban, t.payee_account_number, t.payee_bic, t.payee_ifsc, t.payee_routing_number,
                CASE WHEN t.kind = 'qr_payment' THEN 'NO' ELSE t.payee_country END AS country
            FROM transactions t
            WHERE t.user_id IN \(UserRepository.samePerson(as: userId)) AND t.created_at >= \(bind: since)
            """).all().map { row in
                let payeeId = try row.decode(column: "payee_id", as: String?.self) ?? ""
                let kind = try row.decode(column: "kind", caseOf: TransactionKind.self)
                let country = try row.decode(column: "country", as: String?.self) ?? ""
                return ScreenedPayment(id: try row.decode(column: "id", as: String.self), kind: kind,
                                amountMinor: try row.decode(column: "amount_minor", as: Int64.self),
                                payeeId: payeeId, payeeAccount: kind == .qrPayment ? payeeId : AMLPayeeAccount.name(
                                    country: country, iban: try row.decode(column: "payee_iban", as: String?.self),
                                    accountNumber: try row.decode(column: "payee_account_number", as: String?.self),
                                    bic: try row.decode(column: "payee_bic", as: String?.self), ifsc: try row.decode(column: "payee_ifsc", as: String?.self),
                                    routingNumber: try row.decode(column: "payee_routing_number", as: String?.self), recipientId: payeeId),
                                country: country,
                                status: try row.decode(column: "status", caseOf: TransferStatus.self),
                                fundsReceived: try row.decode(column: "funds_received_at", as: Date?.self) != nil, createdAt: try row.decode(column: "created_at", as: Date.self),
                                fundsReceivedAt: try row.decode(column: "funds_received_at", as: Date?.self))
            }
    }
}
