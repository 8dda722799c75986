import DropCore
import DropProviders
import DropStore
import Foundation

/// Asking the bank for the payment of a transaction Drop has already written down (`pending_sca`,
/// with its request id), and writing down what the bank answered. Remittances, QR payments,
/// released transfers, a retried request and the reconciler all go through here, so the bank is
/// always asked for exactly the same payment.
extension PaymentInitiation {
    /// Checked before anything is written: the account is a NOK one, its consent still holds, and
    /// its bank is not known to be down (an open breaker would only fail the payment).
    func ensurePayable(from account: BankAccountRecord) async throws {
        // Drop asks for a domestic NOK payment: a EUR or USD account's bank would refuse it or convert
        // at its own spread, and money returned later would land in NOK in a foreign-currency account.
        guard account.currency == Currency.nok.code else { throw Self.notNOK }
        guard account.status == .active else { throw AppError.conflict("Reconnect the bank before paying from it.", code: "BANK_RECONNECT_REQUIRED") }
        let breaker = await openBanking.wrapped.breakerSnapshot(for: account.bankId)
        if breaker.state == .open {
            throw AppError.providerUnavailable("Your bank is not answering right now. Try again shortly.",
                                               retryAfterSeconds: max(1, Int(breaker.retryAfter?.components.seconds ?? 60)))
        }
    }

    /// A payment from an account in another currency than NOK: refused before anything is written.
    static let notNOK = AppError.validation("Pay from a NOK account.", details: [
        ErrorDetail(field: "bankAccountId", issue: "not_nok", message: "Drop pays from Norwegian krone accounts only."),
    ])

    /// The payment a recorded transaction stands for, rebuilt from what was stored when it was
    /// written (account, amount, creditor, end-to-end id, request id, payer's address).
    /// `account`: the payer's account as the caller just read it, if it has (used only when it is
    /// the one stored), so it isn't read twice.
    func order(for payment: BankPaymentRecord, client: BankConnectionService.Client = .web,
               account known: BankAccountRecord? = nil) async throws -> Order {
        guard let requestId = payment.bankRequestId, let accountId = payment.bankAccountId else {
            throw AppError.conflict("This payment has no bank request to repeat.")
        }
        let known = known.flatMap { $0.id == accountId && $0.userId == payment.userId ? $0 : nil }
        let (account, merchant): (BankAccountRecord?, MerchantRecord?)
        if let known, payment.merchantId == nil {
            (account, merchant) = (known, nil)
        } else {
            (account, merchant) = try await database.withConnection { db in
                let account = if let known { known } else { try await BankAccountRepository.find(id: accountId, userId: payment.userId, on: db) }
                return (account, try await payment.merchantId.asyncMap { try await MerchantRepository.find(id: $0, on: db) } ?? nil)
            }
        }
        guard let account else { throw AppError.conflict("The transfer's bank account is gone.", code: "BANK_RECONNECT_REQUIRED") }
        let creditor: OpenBankingAccountReference, creditorName: String, message: String
        if payment.kind == .qrPayment {
            guard let merchant else { throw AppError.conflict("The merchant is gone.") }
            // Whenever the payment was written (held for AML, retried, recovered): its owner must
            // still be able to take it. Refused here, before the bank is asked, it fails (`start`).
            guard merchant.takesPayments else { throw MerchantService.unavailable() }
            creditor = .bban(merchant.settlementAccount)
            creditorName = merchant.name
            message = QRPaymentText.bankMessage(merchantName: merchant.name, orderReference: payment.reference, payerMessage: payment.message)
        } else {
            creditor = .bban(collectionAccount.number)
            creditorName = collectionAccount.name
            message = RemittanceBankText.message(recipientName: payment.payeeName, endToEndId: payment.endToEndId)
        }
        return Order(debtor: account, amount: payment.total, creditor: creditor, creditorName: creditorName, endToEndId: payment.endToEndId,
                     message: message, returnURL: publicBaseURL.url + "/v1/transactions/\(payment.id)/sca-callback?client=\(client.rawValue)",
                     psuIPAddress: payment.psuIPAddress ?? "0.0.0.0", payerSealedPid: payment.payerSealedPid, requestId: requestId)
    }

    /// Asks the bank for the payment of a `pending_sca` transaction (or again, after a lost answer
    /// or a crash: the same request id gives the same payment) and stores its id and SCA page.
    ///
    /// When the bank certainly made no payment (it refused, or its breaker is open) the
    /// transaction fails and nothing moved. When the outcome is unknown (timeout, 5xx) it stays
    /// `pending_sca` with its request id: a retry of the request or the reconciler asks again.
    /// `reasking`: an earlier attempt may have sent this request; then only the bank's refusal
    /// fails it, and an open breaker or Drop's own refusal leaves it unknown (`certainlyNotMade`).
    /// `alsoOn` adds writes to the DB transaction that stores the answer.
    @discardableResult
    func start(
        _ payment: BankPaymentRecord, client: BankConnectionService.Client = .web, releasingKey: Bool = true, reasking: Bool = false,
        account: BankAccountRecord? = nil, alsoOn: (@Sendable (DatabaseConnection, Started) async throws -> Void)? = nil
    ) async throws -> Started {
        if let paymentId = payment.paymentId, let redirect = payment.scaRedirect {
            return Started(paymentId: paymentId, scaRedirect: redirect,
                           product: payment.bankProduct.flatMap(OpenBankingPaymentProduct.init(rawValue:)) ?? .norwegianDomesticCreditTransfers)
        }
        let started: Started
        var bankId = ""
        do {
            let order = try await order(for: payment, client: client, account: account)
            bankId = order.debtor.bankId
            started = try await ask(order)
        } catch where Self.certainlyNotMade(error, reasking: reasking) {
            try await recordFailure(of: payment.statusRecord, reason: Self.failureReason(error), releasingKey: releasingKey)
            throw (error as? OpenBankingError).map { refusal($0, bankId: bankId) } ?? error
        } catch {
            logger.warning("bank's answer to a payment initiation is unknown; it will be asked again",
                                    metadata: ["transaction_id": .string(payment.id), "error_type": .string(String(describing: type(of: error)))])
            throw (error as? OpenBankingError).map { refusal($0, bankId: bankId) } ?? error
        }
        let now = clock()
        let record = { (db: DatabaseConnection) in
            try await TransactionRepository.recordInitiation(id: payment.id, paymentId: started.paymentId, scaRedirect: started.scaRedirect,
                                                             at: now, on: db)
        }
        let recorded: Bool
        if let alsoOn {
            recorded = try await database.transaction { db in
                guard try await record(db) else { return false }
                try await alsoOn(db, started)
                return true
            }
        } else {
            // The usual case, a payment just asked for: one statement, no transaction around it.
            recorded = try await database.singleWrite(record)
        }
        if !recorded {
            let current = try await database.withConnection { try await TransactionRepository.bankPayment(id: payment.id, on: $0) }
            guard let current, current.status == .pendingSCA, let recordedId = current.paymentId, let recordedPage = current.scaRedirect else {
                if let current { try await answeredAfterTheEnd(current, started: started, bankId: bankId, at: now) }
                throw AppError.conflict("The payment changed meanwhile; look at it again.")
            }
            // A second, different payment for one transaction (the bank did not honour the request id):
            // only the one recorded is followed, so only its approval page is handed out. The other is
            // cancelled, or the customer could approve both and pay twice, and operations hear of it
            // (nothing was written: the alert stands alone).
            let strayCancelled = await cancelStray(started, bankId: bankId, transactionId: payment.id)
            try await database.transaction { db in
                try await OperationsAlertRepository.raise(.reconciliationMismatch, entityType: "transaction", entityId: payment.id,
                                                          details: OperationsAlertDetails.SecondBankPayment(cancelledAtBank: strayCancelled), at: now, on: db)
            }
            return Started(paymentId: recordedId, scaRedirect: recordedPage, product: started.product)
        }
        return started
    }

    /// The bank answered with a payment after the transaction had moved on (another attempt, the
    /// user's cancel or the expiry got there first). Its approval page must not reach anyone: the
    /// caller gets a conflict instead. When the payment is one Drop never recorded for it (the
    /// transaction failed, or ended, without it), nothing else will ever stop it, so the bank is
    /// asked to cancel it and operations hear of it; one Drop recorded was settled with the bank by
    /// whoever moved the transaction on.
    private func answeredAfterTheEnd(_ current: BankPaymentRecord, started: Started, bankId: String, at now: Date) async throws -> Never {
        if current.paymentId != started.paymentId {
            let cancelled = await cancelStray(started, bankId: bankId, transactionId: current.id)
            try await database.transaction { db in
                try await OperationsAlertRepository.raise(
                    .reconciliationMismatch, entityType: "transaction", entityId: current.id,
                    details: OperationsAlertDetails.PaymentAfterEnd(status: current.status, cancelledAtBank: cancelled),
                    dedupeKey: "payment_after_end:\(current.id)", at: now, on: db)
            }
        }
        throw AppError.conflict("The payment changed meanwhile; look at it again.")
    }

    /// Asks the bank to cancel a payment Drop will not follow. - Returns: whether the bank did.
    private func cancelStray(_ started: Started, bankId: String, transactionId: String) async -> Bool {
        do {
            try await cancel(paymentId: started.paymentId, product: started.product, bankId: bankId)
            return true
        } catch {
            logger.error("bank made a payment Drop does not follow and did not cancel it", metadata: [
                "transaction_id": .string(transactionId), "error_type": .string(String(describing: type(of: error))),
            ])
            return false
        }
    }

    /// Why an initiation that certainly made no payment failed, as `failure_reason` keeps it.
    static func failureReason(_ error: any Error) -> String {
        if error is ProviderError { return "bank_unavailable" }
        if (error as? AppError)?.code == MerchantService.unavailableCode { return "merchant_unavailable" }
        return "bank_refused"
    }

    /// What follows the AML screening of a payment just written: a block is refused (its alert
    /// committed with the screening), a hold waits for compliance with nothing asked of the bank, anything else
    /// is asked of the bank now. Returns the SCA page, nil while held.
    func proceed(after assessment: AMLAssessment, transactionId: String, userId: String, client: BankConnectionService.Client,
                 account: BankAccountRecord? = nil, at now: Date) async throws -> String? {
        switch assessment.decision {
        case .block: throw AMLScreening.refusal
        case .hold: return nil
        default:
            guard let recorded = try await database.withConnection({ try await TransactionRepository.bankPayment(id: transactionId, on: $0) }) else {
                throw AppError.internalError
            }
            return try await start(recorded, client: client, account: account).scaRedirect
        }
    }

    /// The bank never took the payment: `pending_sca → failed`, the customer is told, and unless
    /// `releasingKey` is false the Idempotency-Key is freed, so a retry makes a new payment and
    /// this one stays as history.
    func recordFailure(of transaction: TransactionStatusRecord, reason: String, releasingKey: Bool = true) async throws {
        guard case .success(let transition) = TransferStatus.transition(from: .pendingSCA, on: .initiationFailed) else { return }
        let now = clock()
        try await database.transaction { db in
            guard try await TransactionStatusRepository.apply(transition, to: transaction.id, actor: .system, failureReason: reason,
                                                              at: now, on: db) else { return }
            if releasingKey { try await TransactionRepository.freeIdempotencyKey(id: transaction.id, on: db) }
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(
                TransactionStatusRecord(id: transaction.id, userId: transaction.userId, kind: transaction.kind, status: .failed),
                to: .failed, at: now), on: db)
        }
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
