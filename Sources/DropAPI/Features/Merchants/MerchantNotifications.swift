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

    /// On the caller's DB transaction, when the payer's bank reports a completed QR payment refused
    /// or cancelled: the shop may have handed over the goods on "Payment received", so it hears at
    /// once, on its live list and dashboard and by notification. The payment stays as it is.
    static func reversalReported(transactionId: String, status: TransferStatus, at date: Date, on db: DatabaseConnection) async throws {
        guard let payee = try await MerchantPaymentRepository.payee(ofTransaction: transactionId, on: db) else { return }
        try await tell(payee, about: transactionId, status: status, event: .reversalReported, notification: .merchantPaymentReversalReported,
                       title: "Payment reported reversed", body: "The bank reports this payment reversed; don't rely on it until we confirm.",
                       at: date, on: db)
    }

    /// On the caller's DB transaction, when the payer's bank paid a QR payment after Drop had ended it
    /// (cancelled, expired or failed): the shop has the money, so its live list, dashboard and a
    /// notification say so before it asks the customer to pay again. The status stays as it is.
    /// - Returns: who was paid, for the payer's notification; nil when the payment paid no merchant.
    static func settledAfterEnd(transactionId: String, status: TransferStatus, at date: Date, on db: DatabaseConnection) async throws
        -> (name: String, amount: Money)? {
        guard let payee = try await MerchantPaymentRepository.payee(ofTransaction: transactionId, on: db) else { return nil }
        try await tell(payee, about: transactionId, status: status, event: .settledAfterEnd, notification: .merchantPaymentSettledAfterEnd,
                       title: "Paid after it ended",
                       body: "The customer's bank paid you \(payee.amount.formatted(for: .en)) after the payment had ended. You have received it; don't ask for it again.",
                       at: date, on: db)
        return (payee.name, payee.amount)
    }

    /// What the bank said about a payment, on the shop's live list (its event) and as a notification.
    private static func tell(_ payee: (merchantId: String, merchantUserId: String, name: String, amount: Money), about transactionId: String,
                             status: TransferStatus, event: MerchantEventKind, notification: NotificationKind, title: String, body: String,
                             at date: Date, on db: DatabaseConnection) async throws {
        try await MerchantRepository.recordEvent(merchantId: payee.merchantId, transactionId: transactionId, status: status.rawValue,
                                                 kind: event, at: date, on: db)
        try await NotificationRepository.insert(NotificationRecord(
            userId: payee.merchantUserId, kind: notification, title: title, body: body,
            link: NotificationLink(transactionId: transactionId), createdAt: date), on: db)
    }
}
