import DropCore
import DropStore
import Foundation

/// Runs DropCore's AML rules on a transfer as it is created, on the creating DB transaction, and
/// records what they found for the compliance team (`aml_alerts`).
enum AMLScreening {
    static let configuration = AMLConfiguration()
    /// The history the rules look at: velocity, structuring and the customer's usual pattern.
    static let lookback: TimeInterval = 365 * 24 * 3600

    /// Who the money goes to, as the rules see it.
    struct Payee: Sendable {
        /// The recipient's id, or the merchant's.
        let id: String
        /// The account paid (`AMLPayeeAccount.name`): what makes a payee one already paid.
        let account: String
        let country: CountryCode
        /// When the user added the recipient, or when the merchant registered.
        let createdAt: Date
        let channel: AMLChannel

        static func recipient(_ recipient: RecipientRecord) throws -> Payee {
            guard let country = CountryCode(rawValue: recipient.country) else {
                throw AppError.validation("The recipient's country is not supported.", details: [ErrorDetail(field: "recipientId", issue: "corridor")])
            }
            // A recipient whose account details were changed is a new payee from then on.
            return Payee(id: recipient.id, account: AMLPayeeAccount.name(
                            country: recipient.country, iban: recipient.iban, accountNumber: recipient.accountNumber, bic: recipient.bic,
                            ifsc: recipient.ifsc, routingNumber: recipient.routingNumber, recipientId: recipient.id),
                         country: country, createdAt: recipient.payeeChangedAt ?? recipient.createdAt, channel: .remittance)
        }

        /// A standing transfer's payment: to the details the order was approved with, a payee `since` that
        /// account became the recipient's (`standing_orders.payee_since`): an edit just before the order
        /// makes a new payee, one after it doesn't touch the account the order pays.
        static func recipient(_ recipient: RecipientRecord, paidTo payee: PayeeSnapshot, since: Date) throws -> Payee {
            guard let country = CountryCode(rawValue: payee.country) else {
                throw AppError.validation("The recipient's country is not supported.", details: [ErrorDetail(field: "recipientId", issue: "corridor")])
            }
            return Payee(id: recipient.id, account: AMLPayeeAccount.name(
                            country: payee.country, iban: payee.iban, accountNumber: payee.accountNumber, bic: payee.bic,
                            ifsc: payee.ifsc, routingNumber: payee.routingNumber, recipientId: recipient.id),
                         country: country, createdAt: since, channel: .remittance)
        }

        /// Drop's merchants are Norwegian businesses paid to Norwegian accounts.
        static func merchant(_ merchant: MerchantRecord) -> Payee {
            Payee(id: merchant.id, account: merchant.id, country: .norway, createdAt: merchant.createdAt, channel: .qrPayment)
        }
    }

    /// The payer as they stand now, on the DB transaction that writes their payment, their row locked
    /// first of all (it is also the lock `SpendingLimitService.check` would take, so two payments of theirs
    /// are still checked one after the other). The request read them when it began; a verdict committed
    /// since (a Sumsub rejection, a sanctions hit, an erasure) is screened here instead of slipping past
    /// on that older copy, and one under way waits for this payment's commit, then finds it under way
    /// (`payments.withdraw-unavailable`). One statement, as the lock alone was.
    static func payerAsTheyStand(_ user: UserRecord, on db: DatabaseConnection) async throws -> UserRecord {
        guard let current = try await UserRepository.lockForPayment(id: user.id, on: db) else { throw AppError.unauthenticated }
        return current
    }

    /// The rules on a payment being created. The history holds the user's remittances and QR
    /// payments: velocity and structuring count both, the pattern rules only the same channel.
    static func assess(transferId: String, user: UserRecord, payee: Payee, amount: Money, at now: Date,
                       on db: DatabaseConnection) async throws -> AMLAssessment {
        var past: [AMLPastTransfer] = []
        for payment in try await ScreeningHistoryRepository.payments(userId: user.id, since: now.addingTimeInterval(-lookback), on: db) {
            // A merchant's payment always has NO; a remittance's country is one Drop pays to.
            guard let country = CountryCode(rawValue: payment.country) else { continue }
            past.append(try AMLPastTransfer(
                transferId: payment.id, amount: Money(minorUnits: payment.amountMinor, currency: .nok), destination: country,
                recipientId: payment.payeeId, payeeAccount: payment.payeeAccount, time: payment.createdAt, status: payment.status, channel: payment.kind,
                fundsReceived: payment.fundsReceived, moneyLeftAt: payment.fundsReceivedAt))
        }
        let history = AMLCustomerHistory(transfers: past, isPEP: user.isPep, isSanctioned: user.isSanctioned,
                                         riskLevel: user.riskLevel)
        let context = try AMLTransferContext(
            amount: amount, destination: payee.country, recipientId: payee.id,
            isFirstTransferToRecipient: history.isFirstTransfer(to: payee.account, excluding: transferId, counting: configuration.paidStatuses),
            recipientCreatedAt: payee.createdAt, time: now, transferId: transferId, channel: payee.channel)
        return AMLEngine.evaluate(context, history: history, configuration: configuration)
    }

    /// What follows the screening on the creating DB transaction, for a payment just written in
    /// `pending_sca`: the alert, for a hold the move to `held` (no payment is asked of the bank
    /// until compliance releases it), and the customer's notification of where it stands.
    static func apply(_ assessment: AMLAssessment, to payment: TransactionStatusRecord, at now: Date, on db: DatabaseConnection) async throws {
        try await recordAlert(assessment, userId: payment.userId, transactionId: payment.id, at: now, on: db)
        var status = TransferStatus.pendingSCA
        if assessment.decision == .hold, case .success(let held) = TransferStatus.transition(from: .pendingSCA, on: .amlHeld) {
            _ = try await TransactionStatusRepository.apply(held, to: payment.id, actor: .rule("aml"), at: now, on: db)
            status = .held
        }
        try await NotificationRepository.insert(PaymentNotifications.statusChanged(
            TransactionStatusRecord(id: payment.id, userId: payment.userId, kind: payment.kind, status: status), to: status, at: now), on: db)
    }

    /// A block writes no payment, but compliance must still see the attempt: its alert (and audit
    /// row) is written on the screening's own DB transaction, which then commits with nothing else,
    /// so no crash can leave a refused attempt unrecorded. The caller then throws `refusal`.
    static func recordBlock(_ assessment: AMLAssessment, userId: String, at now: Date, on db: DatabaseConnection) async throws {
        try await recordAlert(assessment, userId: userId, transactionId: nil, at: now, on: db)
    }

    /// What the customer is told of a block: not why.
    static let refusal = AppError(.forbidden, code: "FORBIDDEN", message: "Payments are not available for this account.")

    /// One alert per assessment that raises one: the strongest rule, the total score, every finding.
    static func recordAlert(_ assessment: AMLAssessment, userId: String, transactionId: String?, at now: Date, on db: DatabaseConnection) async throws {
        guard assessment.decision.raisesAlert, let top = assessment.findings.first else { return }
        let id = RecordID.make()
        try await AMLAlertRepository.insert(id: id, userId: userId, transactionId: transactionId, rule: top.rule,
                                            score: assessment.totalScore, details: AMLAlertDetails(assessment), at: now, on: db)
        try await AuditLog.append(AuditEntry(actor: .system, action: "aml_alert.raised", entityType: "aml_alert", entityId: id,
                                             data: Raised(decision: assessment.decision, score: assessment.totalScore)),
                                  at: now, on: db)
        try await PersonalData.keepRecords(of: userId, until: RecordRetention.keptUntil(madeAt: now), on: db)
    }
}

extension AMLScreening {
    /// What `aml_alert.raised` records.
    struct Raised: Encodable {
        let decision: AMLDecision
        let score: Int
    }
}
