import DropCore
import DropStore
import Foundation

/// A bank reporting the opposite of what it reported before about the same money: settled after Drop
/// had ended the transfer, or refused after it reported the payment settled. Handled alike for a single
/// payment (`PaymentStatusService`) and a standing order's payment (`StandingOrderService.applyExecution`),
/// on the caller's DB transaction, the transfer's row locked (`TransactionStatusRepository.lockForReport`).
/// Each is raised once per transfer, however often the bank or the reconciler reports it.
enum SettlementContradictions {
    /// The user's bank settled a payment for a transfer that had already ended (expired, cancelled
    /// or failed): the NOK is at the partner with no payout to make. Operations are alerted, and
    /// for a remittance the partner is asked to return it (the returns job; `refunded` once the
    /// partner confirms). A QR payment's money went straight to the shop: the status stays, but the
    /// shop and the payer are told it was paid (the shop must not ask for it again), once, when the
    /// alert is first raised (its dedupe key outlives its resolution). The caller has recorded the
    /// funds as received.
    static func settledAfterEnd(_ transaction: TransactionStatusRecord, code: PaymentStatusCode, standingOrderId: String? = nil, at now: Date,
                                on db: DatabaseConnection) async throws {
        let first = try await OperationsAlertRepository.raise(
            .lateSettlement, entityType: "transaction", entityId: transaction.id,
            details: OperationsAlertDetails.LateSettlement(status: transaction.status, bankStatus: code, kind: transaction.kind),
            dedupeKey: "late_settlement:\(transaction.id)", at: now, on: db)
        if transaction.kind == .qrPayment {
            guard first, let payee = try await MerchantNotifications.settledAfterEnd(transactionId: transaction.id, status: transaction.status,
                                                                                      at: now, on: db) else { return }
            try await NotificationRepository.insert(NotificationRecord(
                userId: transaction.userId, kind: .transactionSettledAfterEnd, title: "Your bank paid the shop",
                body: "Your bank paid \(payee.name) \(payee.amount.formatted(for: .en)) after the payment had ended. The shop has received it. "
                    + "If you did not mean to pay, contact the shop.",
                link: NotificationLink(transactionId: transaction.id, merchantName: payee.name, amount: payee.amount), createdAt: now), on: db)
            return
        }
        guard transaction.kind == .remittance,
              try await TransactionRepository.requestReturn(id: transaction.id, reason: "late_settlement", at: now, on: db) else { return }
        try await NotificationRepository.insert(NotificationRecord(
            userId: transaction.userId, kind: .transactionReturnPending, title: "Money on its way back",
            body: "Your bank paid after the payment had ended. We are returning the money to your account and will tell you when it has arrived.",
            link: NotificationLink(transactionId: transaction.id, standingOrderId: standingOrderId), createdAt: now), on: db)
    }

    /// The bank now refuses a payment it reported settled: the NOK has reached the partner or the shop
    /// and may be paid out. Failing it on the bank's word ("no money has left your account") would be
    /// false and would leave the payout unfollowed; operations reconcile it with the bank. The status
    /// stays as it is. - Returns: true the first time (the alert was raised).
    static func refusedAfterSettlement(_ transaction: TransactionStatusRecord, code: PaymentStatusCode, at now: Date,
                                       on db: DatabaseConnection) async throws -> Bool {
        try await OperationsAlertRepository.raise(
            .reconciliationMismatch, entityType: "transaction", entityId: transaction.id,
            details: OperationsAlertDetails.RefusedAfterSettlement(bankStatus: code), dedupeKey: "refused_after_settlement:\(transaction.id)",
            at: now, on: db)
    }
}
