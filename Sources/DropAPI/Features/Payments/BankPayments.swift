import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// Following a payment Drop initiated at the user's bank after the fact: learning a payment whose
/// answer was lost, asking where it stands, cancelling it. Used by the SCA return, the user's
/// cancel, expiry and the reconciler, so each asks the bank the same way.
struct BankPayments: Sendable {
    let paymentStatus: PaymentStatusService
    let database: Database
    let openBanking: Lazy<any OpenBanking>
    let paymentInitiation: PaymentInitiation
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Asks the bank again for a payment whose initiation answer Drop never stored (same request
    /// id: the same payment, or the first one if the bank never got the request) and returns the
    /// transaction as it now stands.
    /// The user isn't there to be sent to the bank, so they are told where to approve it.
    /// Only the bank's refusal fails it: its breaker open now says nothing of the first request.
    func recover(_ payment: BankPaymentRecord) async throws -> BankPaymentRecord {
        let now = clock()
        try await paymentInitiation.start(payment, releasingKey: false, reasking: true) { db, started in
            var notification = PaymentNotifications.statusChanged(payment.statusRecord, to: .pendingSCA, at: now)
            notification.link = NotificationLink(transactionId: payment.id, scaRedirect: started.scaRedirect)
            try await NotificationRepository.insert(notification, on: db)
        }
        return try await reread(payment)
    }

    /// Cancels at the bank: true when the bank accepted, false when it refused (already approved,
    /// rejected or gone). Throws when the bank can't be reached.
    func cancel(_ payment: BankPaymentRecord) async throws -> Bool {
        guard let paymentId = payment.paymentId, let bank = try await bankId(of: payment) else { return true }
        do {
            try await openBanking.wrapped.cancelPayment(bank: bank, product: product(of: payment), paymentId: paymentId)
            return true
        } catch let error as OpenBankingError {
            logger.notice("bank refused to cancel", metadata: ["transaction_id": .string(payment.id), "error": .string("\(error)")])
            return false
        }
    }

    /// Whether the bank confirms an overdue payment will never be made: it accepts the
    /// cancellation, or reports it rejected or cancelled. Anything else the bank reports is
    /// applied (a late approval moves the transfer on) and the answer is false.
    func confirmWontExecute(_ payment: BankPaymentRecord) async throws -> Bool {
        if try await cancel(payment) { return true }
        guard let (code, reason) = try await status(of: payment) else { return false }
        if code == .rejected || code == .cancelled { return true }
        _ = try await apply(code, reason: reason, to: payment)
        return false
    }

    /// Reads the payment's status at the bank and applies it as its webhook would.
    @discardableResult
    func refreshStatus(_ payment: BankPaymentRecord) async throws -> PaymentStatusService.Outcome? {
        guard let (code, reason) = try await status(of: payment) else { return nil }
        return try await apply(code, reason: reason, to: payment)
    }

    /// The bank's status code for the payment, and its reason code when it gave one.
    private func status(of payment: BankPaymentRecord) async throws -> (PaymentStatusCode, String?)? {
        guard let paymentId = payment.paymentId, let bank = try await bankId(of: payment) else { return nil }
        let status = try await openBanking.wrapped.paymentStatus(bank: bank, product: product(of: payment), paymentId: paymentId)
        let now = clock()
        try await database.transaction { try await TransactionRepository.markBankChecked(id: payment.id, at: now, on: $0) }
        return PaymentStatusCode(rawValue: status.transactionStatus).map { ($0, status.statusReason) }
    }

    private func apply(_ code: PaymentStatusCode, reason: String?, to payment: BankPaymentRecord) async throws -> PaymentStatusService.Outcome? {
        guard let paymentId = payment.paymentId else { return nil }
        return try await paymentStatus.apply(
            eventId: "poll:\(paymentId):\(code.rawValue)", paymentId: paymentId, code: code, reason: reason, rawBodyHash: "", source: "open-banking")
    }

    private func reread(_ payment: BankPaymentRecord) async throws -> BankPaymentRecord {
        try await database.withConnection { try await TransactionRepository.bankPayment(id: payment.id, on: $0) } ?? payment
    }

    private func bankId(of payment: BankPaymentRecord) async throws -> String? {
        guard let accountId = payment.bankAccountId else { return nil }
        return try await database.withConnection { try await BankAccountRepository.bankId(ofAccount: accountId, on: $0) }
    }

    /// The product the payment was initiated under (older rows: domestic, all Drop ever used).
    private func product(of payment: BankPaymentRecord) -> OpenBankingPaymentProduct {
        payment.bankProduct.flatMap(OpenBankingPaymentProduct.init(rawValue:)) ?? .norwegianDomesticCreditTransfers
    }
}
