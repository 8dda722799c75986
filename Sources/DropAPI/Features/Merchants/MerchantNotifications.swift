import DropCore
import DropStore
import Foundation

/// What the merchant is told about payments to them (the payer hears from `PaymentNotifications`).
enum MerchantNotifications {
    /// On the caller's DB transaction, when a QR payment has completed.
    static func paymentCompleted(transactionId: String, at date: Date, on db: DatabaseConnection) async throws {
        guard let payee = try await MerchantPaymentRepository.payee(ofTransaction: transactionId, on: db) else { return }
        try await NotificationRepository.insert(NotificationRecord(
            userId: payee.merchantUserId, kind: .merchantPaymentReceived, title: "Payment received",
            body: "You received \(payee.amount.formatted(for: .en)).", link: NotificationLink(transactionId: transactionId), createdAt: date), on: db)
    }
}
