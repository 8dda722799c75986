import DropCore
import DropStore
import Foundation
import SQLKit

/// What the merchant is told about payments to them (the payer hears from `PaymentNotifications`).
enum MerchantNotifications {
    /// On the caller's DB transaction, when a QR payment has completed.
    static func paymentCompleted(transactionId: String, at date: Date, on db: any SQLDatabase) async throws {
        guard let row = try await db.raw("""
            SELECT m.user_id, t.amount_minor, t.currency FROM transactions t JOIN merchants m ON m.id = t.merchant_id WHERE t.id = \(bind: transactionId)
            """).first() else { return }
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        let amount = Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency)
        try await NotificationRepository.insert(NotificationRecord(
            userId: try row.decode(column: "user_id", as: String.self), kind: "merchant.payment_received", title: "Payment received",
            body: "You received \(amount.formatted(for: .en)).", data: #"{"transactionId":"\#(transactionId)"}"#, createdAt: date), on: db)
    }
}
