import DropCore
import DropStore
import Foundation
import Logging

/// Applies what a bank reports about a payment Drop initiated to the transaction it pays for.
struct PaymentStatusService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date
    let logger: Logger

    enum Outcome: Sendable, Equatable {
        case applied(TransferStatus)
        /// Still waiting, already past this step, or a repeated event.
        case unchanged
        case duplicate
        /// No transaction has this payment id (yet); the bank should try again later.
        case unknownPayment
    }

    /// A status report for one PIS payment, once per `eventId`. The event is recorded in the same
    /// DB transaction as its effect, so a crash between them can't apply it twice or lose it.
    func apply(eventId: String, paymentId: String, code: PaymentStatusCode, reason: String? = nil, rawBodyHash: String,
               source: String) async throws -> Outcome {
        let now = clock()
        return try await database.transaction { db in
            guard let transaction = try await TransactionStatusRepository.lockForReport(pispPaymentId: paymentId, on: db) else { return .unknownPayment }
            let first = try await WebhookEventRepository.recordFirst(provider: source, eventId: eventId, payloadSHA256: rawBodyHash, at: now, on: db)
            guard first else { return .duplicate }
            let settled = code == .acceptedSettlementCompleted || code == .acceptedCreditSettlementCompleted
            // Whatever the status: processing or held (a payer who lost their standing after the NOK
            // arrived), or completed (a QR payment completes on the settlement, a remittance on its payout).
            if code == .rejected || code == .cancelled,
               try await TransactionRepository.bankPayment(id: transaction.id, on: db)?.fundsReceivedAt != nil {
                // The NOK has reached the partner or the shop: the status stays as it is.
                let first = try await SettlementContradictions.refusedAfterSettlement(transaction, code: code, at: now, on: db)
                if first, transaction.kind == .qrPayment {
                    try await MerchantNotifications.reversalReported(transactionId: transaction.id, status: transaction.status, at: now, on: db)
                }
                return .unchanged
            }
            if settled {
                // The NOK has left the user's account: a remittance may now be paid out.
                try await TransactionRepository.markFundsReceived(id: transaction.id, at: now, on: db)
            }
            switch Self.moves(transaction, code: code, reason: reason, at: now) {
            case .failure(let illegal):
                if settled, [.expired, .cancelled, .failed].contains(illegal.from) {
                    // Money moved for a transfer Drop had already ended: never dropped on the floor.
                    try await settledAfterEnd(transaction, code: code, at: now, on: db)
                    return .unchanged
                }
                logger.warning("bank status contradicts the transaction", metadata: [
                    "transaction_id": .string(transaction.id), "status": .string(illegal.from.rawValue), "event": .string(illegal.event.rawValue),
                ])
                return .unchanged
            case .success(let moves):
                guard let last = moves.last else { return .unchanged }
                for transition in moves {
                    let failure = transition.to == .failed ? "bank:\(code.rawValue)" + (reason.map { ":\($0)" } ?? "") : nil
                    guard try await TransactionStatusRepository.apply(transition, to: transaction.id, actor: .provider(source),
                                                                      failureReason: failure, at: now, on: db) else {
                        // Moved by someone else since we read it: let the bank redeliver and decide again.
                        throw AppError.conflict("The transaction changed meanwhile; deliver again.")
                    }
                }
                try await NotificationRepository.insert(PaymentNotifications.statusChanged(transaction, to: last.to, at: now), on: db)
                if transaction.kind == .qrPayment, last.to == .completed {
                    try await MerchantNotifications.paymentCompleted(transactionId: transaction.id, at: now, on: db)
                }
                return .applied(last.to)
            }
        }
    }

    /// The user's bank settled a payment for a transfer that had already ended (`SettlementContradictions`).
    private func settledAfterEnd(_ transaction: TransactionStatusRecord, code: PaymentStatusCode, at now: Date, on db: DatabaseConnection) async throws {
        logger.error("bank settled a payment for a transaction that had ended",
                              metadata: ["transaction_id": .string(transaction.id), "status": .string(transaction.status.rawValue)])
        try await SettlementContradictions.settledAfterEnd(transaction, code: code, at: now, on: db)
    }

    /// The state machine's moves for a bank report. A QR payment goes straight to the merchant,
    /// so the bank's settlement also completes it; a remittance is complete only when the payout
    /// partner has paid the recipient.
    static func moves(_ transaction: TransactionStatusRecord, code: PaymentStatusCode,
                      reason: String? = nil, at now: Date) -> Result<[TransferTransition], IllegalTransition> {
        var moves: [TransferTransition] = []
        var current = transaction.status
        let windowClosed = transaction.approvalDeadline.map { now >= $0 } ?? false
        switch current.applying(bankStatus: code, reason: reason, approvalWindowClosed: windowClosed) {
        case .illegal(let illegal): return .failure(illegal)
        case .unchanged: break
        case .moved(let transition):
            moves.append(transition)
            current = transition.to
        }
        let settled = code == .acceptedSettlementCompleted || code == .acceptedCreditSettlementCompleted
        if transaction.kind == .qrPayment, settled, current == .processing,
           case .success(let completion) = TransferStatus.transition(from: .processing, on: .payoutSettled) {
            moves.append(completion)
        }
        return .success(moves)
    }
}

/// What the user is told when a payment moves.
enum PaymentNotifications {
    static func statusChanged(_ transaction: TransactionStatusRecord, to status: TransferStatus, at date: Date) -> NotificationRecord {
        let (title, body): (String, String) = switch status {
        case .processing: ("Payment approved", "Your bank has accepted the payment. We'll tell you when it has arrived.")
        case .completed: ("Payment completed", "The money has arrived.")
        case .failed: ("Payment failed", "The payment could not be made. No money has left your account.")
        case .cancelled: ("Payment cancelled", "The payment was cancelled.")
        case .expired: ("Payment expired", "The payment was not approved in time.")
        case .held: ("Payment under review", "We are checking the payment; this usually takes less than a day.")
        case .refunded: ("Payment refunded", "The payment was returned to your account.")
        case .pendingSCA: ("Approve the payment", "Approve the payment in your bank.")
        }
        return NotificationRecord(userId: transaction.userId, kind: .transaction(status), title: title, body: body,
                                  link: NotificationLink(transactionId: transaction.id), createdAt: date)
    }
}
