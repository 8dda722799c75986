import Foundation
import SQLKit

/// A QR payment as it is written when the payer confirms it.
public struct QRPaymentRecord: Sendable, Equatable {
    public var id: String
    public var userId: String
    public var merchantId: String
    public var bankAccountId: String
    public var amountMinor: Int64
    public var idempotencyKey: String
    /// The order reference the merchant's signature fixed (a dynamic code), never the payer's text.
    public var reference: String?
    /// What the payer typed on a static code.
    public var message: String?
    /// The one-purchase code this pays (`PaymentLinkSigner.identifier`); nil for a static code.
    public var paymentLinkId: String?
    public var endToEndId: String
    public var scaExpiresAt: Date
    public var createdAt: Date

    public init(id: String, userId: String, merchantId: String, bankAccountId: String, amountMinor: Int64, idempotencyKey: String,
                reference: String?, message: String?, paymentLinkId: String?, endToEndId: String, scaExpiresAt: Date, createdAt: Date) {
        self.id = id
        self.userId = userId
        self.merchantId = merchantId
        self.bankAccountId = bankAccountId
        self.amountMinor = amountMinor
        self.idempotencyKey = idempotencyKey
        self.reference = reference
        self.message = message
        self.paymentLinkId = paymentLinkId
        self.endToEndId = endToEndId
        self.scaExpiresAt = scaExpiresAt
        self.createdAt = createdAt
    }
}

/// The payment that holds a one-purchase code: under way, held or done.
public struct PaymentLinkHolder: Sendable, Equatable {
    public let transactionId: String
    public let userId: String
    public let status: String
}

public enum QRPaymentRepository {
    /// The statuses in which a payment keeps its code from being paid again (the partial unique
    /// index `transactions_payment_link_once` of migration 9 lists the same).
    public static let linkHoldingStatuses = ["pending_sca", "processing", "held", "completed", "refunded"]

    /// Writes the payment in `pending_sca` with its first history entry. A second payment of a code
    /// already held fails on the unique index (`DatabaseErrorKind.uniqueViolation`).
    public static func insert(_ payment: QRPaymentRecord, on db: any SQLDatabase) async throws {
        // Drop charges nothing for a QR payment (DESIGN.md prices remittances only): fee 0, total = amount.
        try await db.raw("""
            INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, merchant_id,
                bank_account_id, idempotency_key, reference, message, payment_link_id, end_to_end_id, sca_expires_at, created_at, updated_at)
            VALUES (\(bind: payment.id), \(bind: payment.userId), 'qr_payment', 'pending_sca', \(bind: payment.amountMinor), 'NOK', 0,
                \(bind: payment.amountMinor), \(bind: payment.merchantId), \(bind: payment.bankAccountId), \(bind: payment.idempotencyKey),
                \(bind: payment.reference), \(bind: payment.message), \(bind: payment.paymentLinkId), \(bind: payment.endToEndId),
                \(bind: payment.scaExpiresAt), \(bind: payment.createdAt), \(bind: payment.createdAt))
            """).run()
        try await db.raw("""
            INSERT INTO transaction_events (id, transaction_id, from_status, to_status, reason, at)
            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: payment.id), NULL, 'pending_sca', 'Created; waiting for approval in the bank.',
                    \(bind: payment.createdAt))
            """).run()
    }

    /// The payment that holds the code, if one does.
    public static func holder(ofLink paymentLinkId: String, on db: any SQLDatabase) async throws -> PaymentLinkHolder? {
        try await db.raw("""
            SELECT id, user_id, status FROM transactions
            WHERE payment_link_id = \(bind: paymentLinkId) AND status IN (\(unsafeRaw: linkHoldingStatuses.map { "'\($0)'" }.joined(separator: ", ")))
            """).first().map {
                PaymentLinkHolder(transactionId: try $0.decode(column: "id", as: String.self), userId: try $0.decode(column: "user_id", as: String.self),
                                  status: try $0.decode(column: "status", as: String.self))
            }
    }

    /// Where a released QR payment goes and what the bank carries with it.
    public struct Payee: Sendable, Equatable {
        public let settlementAccount: String
        public let merchantName: String
        public let reference: String?
        public let message: String?
    }

    /// The merchant's settlement account and the texts of a QR payment; nil for anything else.
    public static func payee(transactionId: String, on db: any SQLDatabase) async throws -> Payee? {
        try await db.raw("""
            SELECT m.settlement_account, m.name, t.reference, t.message FROM transactions t JOIN merchants m ON m.id = t.merchant_id
            WHERE t.id = \(bind: transactionId) AND t.kind = 'qr_payment'
            """).first().map {
                Payee(settlementAccount: try $0.decode(column: "settlement_account", as: String.self), merchantName: try $0.decode(column: "name", as: String.self),
                      reference: try $0.decode(column: "reference", as: String?.self), message: try $0.decode(column: "message", as: String?.self))
            }
    }
}
