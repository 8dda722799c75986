import DropCore
import DropProviders
import DropStore
import Foundation
import SQLKit

/// Asking the bank for the payment of a transaction Drop has already written down (`pending_sca`),
/// and writing down what the bank answered. Remittances, QR payments and released transfers share it.
extension PaymentInitiation {
    /// Checked before anything is written: the account's consent still holds, and its bank is not
    /// known to be down (an open breaker would only fail the payment).
    func ensurePayable(from account: BankAccountRecord) async throws {
        guard account.status == "active" else { throw AppError.conflict("Reconnect the bank before paying from it.", code: "BANK_RECONNECT_REQUIRED") }
        let breaker = await services.openBanking.wrapped.breaker(for: account.bankId).snapshot
        if breaker.state == .open {
            throw AppError.providerUnavailable("Your bank is not answering right now. Try again shortly.",
                                               retryAfterSeconds: max(1, Int(breaker.retryAfter?.components.seconds ?? 60)))
        }
    }

    /// Starts the payment and stores the bank's payment id and SCA page on the transaction. A bank
    /// that refuses or can't be reached ends the transaction as failed on the record (nothing was
    /// authorised) and the error is rethrown for the caller's answer.
    func start(_ order: Order, for transaction: TransactionStatusRecord) async throws -> Started {
        let started: Started
        do {
            started = try await initiate(order)
        } catch {
            try await recordFailure(of: transaction, reason: error is ProviderError ? "bank_unavailable" : "bank_refused")
            throw error
        }
        try await record(started, on: transaction.id)
        return started
    }

    /// Stores the bank's payment id and SCA page; `alsoOn` adds writes to the same DB transaction.
    func record(_ started: Started, on transactionId: String, alsoOn: (@Sendable (any SQLDatabase) async throws -> Void)? = nil) async throws {
        let now = services.clock()
        try await services.database.transaction { db in
            try await db.raw("""
                UPDATE transactions SET pisp_payment_id = \(bind: started.paymentId), sca_redirect = \(bind: started.scaRedirect),
                    updated_at = \(bind: now) WHERE id = \(bind: transactionId)
                """).run()
            try await alsoOn?(db)
        }
    }

    /// The bank never took the payment: `pending_sca → failed`, the customer is told, and unless
    /// `releasingKey` is false the Idempotency-Key is freed, so a retry makes a new payment and
    /// this one stays as history.
    func recordFailure(of transaction: TransactionStatusRecord, reason: String, releasingKey: Bool = true) async throws {
        guard case .success(let transition) = TransferStatus.transition(from: .pendingSCA, on: .initiationFailed) else { return }
        let now = services.clock()
        try await services.database.transaction { db in
            _ = try await TransactionStatusRepository.apply(transition, to: transaction.id, actor: ("system", nil), failureReason: reason, at: now, on: db)
            if releasingKey {
                try await db.raw("UPDATE transactions SET idempotency_key = NULL WHERE id = \(bind: transaction.id)").run()
            }
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(
                TransactionStatusRecord(id: transaction.id, userId: transaction.userId, kind: transaction.kind, status: .failed),
                to: .failed, at: now), on: db)
        }
    }
}
