import DropCore
import Foundation
import SQLKit

/// The payment that holds a one-purchase code: under way, held or done.
public struct PaymentLinkHolder: Sendable, Equatable {
    public let transactionId: String
    public let userId: String
    public let status: TransferStatus
}

public enum QRPaymentRepository {
    /// The statuses in which a payment keeps its code from being paid again (the partial unique
    /// index `transactions_payment_link_once` of migration 9 lists the same).
    public static let linkHoldingStatuses: [TransferStatus] = [.pendingSCA, .processing, .held, .completed, .refunded]

    /// The payment that holds the code, if one does.
    public static func holder(ofLink paymentLinkId: String, on db: any SQLDatabase) async throws -> PaymentLinkHolder? {
        try await db.raw("""
            SELECT id, user_id, status FROM transactions
            WHERE payment_link_id = \(bind: paymentLinkId) AND status IN (\(unsafeRaw: linkHoldingStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
            """).first().map {
                PaymentLinkHolder(transactionId: try $0.decode(column: "id", as: String.self), userId: try $0.decode(column: "user_id", as: String.self),
                                  status: try $0.decode(column: "status", caseOf: TransferStatus.self))
            }
    }

    /// When the signed code a payment pays stops being good; nil for a static code (and for a
    /// payment made before Drop kept it, migration 23).
    public static func linkExpiry(ofTransaction transactionId: String, on db: any SQLDatabase) async throws -> Date? {
        guard let row = try await db.raw("SELECT payment_link_expires_at FROM transactions WHERE id = \(bind: transactionId)").first() else { return nil }
        return try row.decode(column: "payment_link_expires_at", as: Date?.self)
    }
}
