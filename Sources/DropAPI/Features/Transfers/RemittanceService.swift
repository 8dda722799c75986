import DropCore
import DropProviders
import DropStore
import Foundation

/// Sending money abroad: checks, then one DB transaction that creates the transfer (with its
/// history, audit row and notification), then the payment at the user's bank for them to approve.
public struct RemittanceService: Sendable {
    let spendingLimits: SpendingLimitService
    let quotes: QuoteService
    let database: Database
    let paymentInitiation: PaymentInitiation
    let idempotentRequests: IdempotentRequest
    let config: AppConfig
    let clock: @Sendable () -> Date

    /// How long the user has to approve at the bank (docs/flows.md).
    static let scaWindow: TimeInterval = BankApproval.window

    public struct Input: Decodable, Sendable {
        public let recipientId: String
        public let quoteId: String?
        public let amountMinor: Int64?
        public let bankAccountId: String
        public let message: String?
        /// Where the bank's return lands: the web page (default) or the app.
        public let client: BankConnectionService.Client?
        /// The recipient's `payeeVersion` the person was shown: when the recipient no longer matches it,
        /// nothing is sent (409 `RECIPIENT_CHANGED`). Optional for older apps; the web always sends it.
        public let payeeVersion: String?

        public init(recipientId: String, quoteId: String? = nil, amountMinor: Int64? = nil, bankAccountId: String,
                    message: String? = nil, client: BankConnectionService.Client? = nil, payeeVersion: String? = nil) {
            self.recipientId = recipientId
            self.quoteId = quoteId
            self.amountMinor = amountMinor
            self.bankAccountId = bankAccountId
            self.message = message
            self.client = client
            self.payeeVersion = payeeVersion
        }

        /// What the idempotency key is bound to when the web form submits it.
        var fingerprint: [UInt8] {
            Array([recipientId, quoteId ?? "", amountMinor.map(String.init) ?? "", bankAccountId, message ?? "", client?.rawValue ?? "",
                   payeeVersion ?? ""].joined(separator: "\u{1F}").utf8)
        }
    }

    /// A transfer waiting for the user's approval at the bank, as the web app follows it.
    public struct Started: Sendable, Decodable {
        public struct Transaction: Sendable, Decodable { public let id: String }
        public let transaction: Transaction
        /// Nil when the transfer is held for a compliance review: no payment is asked for yet.
        public let scaRedirect: String?
    }

    /// `create` under the same `Idempotency-Key` rules as `POST /v1/transactions/remittance` (same
    /// scope, same stored answer): a second submit with the key gets the first transfer back, and
    /// one that arrives while the first still runs waits for it.
    public func createOnce(user: UserRecord, _ input: Input, idempotencyKey key: String, psuIPAddress: String) async throws -> Started {
        do {
            let outcome = try await idempotentRequests.perform(scope: "remittance:\(user.id)", key: key, body: input.fingerprint,
                                                               waitWhileRunning: .seconds(15)) { attempt in
                let created = try await create(user: user, input, attempt: attempt, psuIPAddress: psuIPAddress)
                return (.created, try JSON.encoder.encode(created))
            }
            return try JSON.decoder.decode(Started.self, from: outcome.body)
        } catch let error as ProviderError where error.isProviderUnavailable || error.indicatesProviderFailure {
            // As the API's error middleware says it, so callers handle one error type.
            let seconds = error.retryAfter.map { max(1, Int($0.components.seconds)) } ?? 30
            throw AppError.providerUnavailable("The bank is not answering. Try again shortly.", retryAfterSeconds: seconds)
        }
    }

    struct Created: Encodable, Sendable {
        // `scaRedirect` is null while the transfer is held for review.
        let transaction: TransactionView
        let scaRedirect: String?
    }

    func create(user: UserRecord, _ input: Input, attempt: IdempotentAttempt, psuIPAddress: String) async throws -> Created {
        let idempotencyKey = attempt.key
        // An earlier attempt with this key got as far as writing the transfer (its process died, or
        // the bank's answer was lost): finish that one instead of making a second.
        if let earlier = try await database.withConnection({
            try await TransactionRepository.bankPayment(userId: user.id, idempotencyKey: idempotencyKey, on: $0)
        }) {
            // Only by the same request: another one under the key (after the first's error) is refused.
            try attempt.ensureSameRequest(as: earlier.requestHash)
            return try await resume(earlier, userId: user.id, client: input.client ?? .web)
        }
        guard user.kycStatus == .approved else { throw Self.kycRequired }
        // A sanctioned customer is refused by the AML screening below, which records the attempt.
        if let message = input.message, message.count > 140 {
            throw AppError.validation("The message is too long.", details: [ErrorDetail(field: "message", issue: "too_long", message: "At most 140 characters.")])
        }
        if let issue = FreeText.controlCharacterIssue(input.message, field: "message") {
            throw AppError.validation("The message cannot contain line breaks or control characters.", details: [ErrorDetail(issue)])
        }
        let (recipient, account) = try await database.withConnection { db in
            (try await RecipientRepository.find(id: input.recipientId, userId: user.id, on: db),
             try await BankAccountRepository.find(id: input.bankAccountId, userId: user.id, on: db))
        }
        guard let recipient, recipient.deletedAt == nil else {
            throw AppError.validation("There is no such recipient.", details: [ErrorDetail(field: "recipientId", issue: "not_found")])
        }
        // The payee snapshotted below is this one: it must be the one the person reviewed.
        if let shown = input.payeeVersion, shown != PayeeSnapshot(recipient: recipient).version {
            throw Self.recipientChanged
        }
        try RecipientService.ensurePayable(recipient)
        guard let account else {
            throw AppError.validation("There is no such bank account.", details: [ErrorDetail(field: "bankAccountId", issue: "not_found")])
        }
        let payments = paymentInitiation
        try await payments.ensurePayable(from: account)
        let now = clock()
        let quote = try await quote(for: input, user: user, recipient: recipient, now: now)
        let id = RecordID.make()
        let q = quote.saved.quote
        let collection = OpenBankingAccountReference.bban(config.providers.payoutCollectionAccount)
        // Everything the bank will be asked for is fixed here, before it is asked: the payee as
        // quoted and screened, and the request id every repeat of the initiation will carry.
        let transfer = NewTransaction(
            id: id, userId: user.id, kind: .remittance, amount: q.send, fee: q.fee, total: q.total, target: q.receive, rate: q.rate.description,
            recipientId: recipient.id, payee: PayeeSnapshot(recipient: recipient), bankAccountId: account.id, quoteId: quote.saved.id,
            idempotencyKey: idempotencyKey, message: input.message, endToEndId: try EndToEndId.make(from: id).value,
            bankRequestId: RecordID.make(), bankProduct: PaymentInitiation.product(amount: q.total, creditor: collection).rawValue,
            psuIPAddress: psuIPAddress, scaExpiresAt: now.addingTimeInterval(Self.scaWindow), requestHash: attempt.requestHash)
        let assessment = try await database.transaction { db -> AMLAssessment in
            let payer = try await AMLScreening.payerAsTheyStand(user, on: db)
            guard payer.kycStatus == .approved else { throw Self.kycRequired }
            try await spendingLimits.check(userId: user.id, amount: q.send, on: db, now: now, lock: false)
            let assessment = try await AMLScreening.assess(transferId: id, user: payer, payee: try .recipient(recipient), amount: q.send, at: now, on: db)
            // Nothing is written for a block but its alert, here: it commits with the screening.
            guard assessment.decision != .block else {
                try await AMLScreening.recordBlock(assessment, userId: user.id, at: now, on: db)
                return assessment
            }
            try await quote.take(at: now, on: db)
            try await TransactionRepository.open(transfer, standingOrderId: nil,
                                                 at: now, on: db)
            try await AMLScreening.apply(assessment, to: TransactionStatusRecord(id: id, userId: user.id, kind: .remittance, status: .pendingSCA),
                                         at: now, on: db)
            return assessment
        }
        let redirect = try await payments.proceed(after: assessment, transactionId: id, userId: user.id, client: input.client ?? .web,
                                                  account: account, at: now)
        return Created(transaction: try await TransactionView.written(id: id, userId: user.id, in: database), scaRedirect: redirect)
    }

    static let kycRequired = AppError(.forbidden, code: "KYC_REQUIRED", message: "Finish the identity check before sending money.")

    /// The recipient was edited after the person was shown it: review again before anything is paid.
    static let recipientChanged = AppError(
        .conflict, code: "RECIPIENT_CHANGED", message: "The recipient's details changed after you reviewed them. Check them and confirm again.")

    /// Finishes a transfer an earlier attempt with the same key wrote: asks the bank again if its
    /// answer was never stored (same request id, so the same payment), then answers as the first
    /// attempt would have. The first attempt may have reached the bank: only the bank's refusal
    /// fails the transfer now (`PaymentInitiation.certainlyNotMade`).
    func resume(_ earlier: BankPaymentRecord, userId: String, client: BankConnectionService.Client) async throws -> Created {
        var redirect: String?
        if earlier.status == .pendingSCA {
            redirect = try await paymentInitiation.start(earlier, client: client, reasking: true).scaRedirect
        }
        return Created(transaction: try await TransactionView.written(id: earlier.id, userId: userId, in: database), scaRedirect: redirect)
    }

    /// What a transfer is priced by: the quote the customer named, or one priced now from the
    /// amount they gave. That one is written in the transfer's own transaction, already taken: no
    /// quote row without its transfer, and the spending limits are checked once, under the lock.
    struct TransferQuote: Sendable {
        let saved: SavedQuote
        /// The quote priced for this transfer, not stored yet.
        let unsaved: QuoteRecord?

        /// Takes the quote for this transfer inside its transaction: of two transfers racing for
        /// one named quote, exactly one gets it.
        func take(at now: Date, on db: DatabaseConnection) async throws {
            guard var record = unsaved else { return try await QuoteService.markUsed(saved, at: now, on: db) }
            record.usedAt = now
            try await QuoteRepository.insert(record, on: db)
        }
    }

    /// The quote named, or one priced now for `amountMinor`; it must price this recipient's corridor.
    private func quote(for input: Input, user: UserRecord, recipient: RecipientRecord, now: Date) async throws -> TransferQuote {
        switch (input.quoteId, input.amountMinor) {
        case (let id?, nil):
            let quote = try await quotes.validQuote(id: id, userId: user.id, now: now)
            guard quote.quote.corridor.country.rawValue == recipient.country, quote.quote.receive.currency.code == recipient.currency else {
                throw AppError.validation("The quote is for another country or currency than the recipient's.",
                                          details: [ErrorDetail(field: "quoteId", issue: "mismatch")])
            }
            return TransferQuote(saved: quote, unsaved: nil)
        case (nil, let amount?):
            let (record, _) = try await quotes.draft(userId: user.id, QuoteInput(country: recipient.country, currency: recipient.currency,
                                                                                 sendAmountMinor: amount), now: now)
            return TransferQuote(saved: try SavedQuote(record), unsaved: record)
        default:
            throw AppError.validation("Give either quoteId or amountMinor.", details: [ErrorDetail(field: "quoteId", issue: "one_of")])
        }
    }

}
