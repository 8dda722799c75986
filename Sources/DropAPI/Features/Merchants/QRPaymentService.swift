import DropCore
import DropProviders
import DropStore
import Foundation

/// Paying a merchant through its QR link: checks (who pays, from which account, the link's
/// signature and expiry, the amount), then one DB transaction that creates the payment with its
/// history, audit row, merchant event and notification, then the payment at the payer's bank,
/// straight to the merchant's settlement account, for the payer to approve.
public struct QRPaymentService: Sendable {
    let spendingLimits: SpendingLimitService
    let merchants: MerchantService
    let database: Database
    let paymentInitiation: PaymentInitiation
    let idempotentRequests: IdempotentRequest
    let clock: @Sendable () -> Date

    public struct Input: Decodable, Sendable {
        public let merchantCode: String
        /// The link's amount (dynamic) or what the payer typed (static).
        public let amountMinor: Int64
        public let reference: String?
        /// A dynamic link's `exp` and `sig`; a static link has neither.
        public let expiresAt: Int64?
        public let signature: String?
        public let bankAccountId: String
        /// Where the bank's return lands: the web page (default) or the app.
        public let client: BankConnectionService.Client?

        public init(merchantCode: String, amountMinor: Int64, reference: String? = nil, expiresAt: Int64? = nil, signature: String? = nil,
                    bankAccountId: String, client: BankConnectionService.Client? = nil) {
            self.merchantCode = merchantCode
            self.amountMinor = amountMinor
            self.reference = reference
            self.expiresAt = expiresAt
            self.signature = signature
            self.bankAccountId = bankAccountId
            self.client = client
        }

        /// What the idempotency key is bound to when the web form submits it.
        var fingerprint: [UInt8] {
            Array([merchantCode, String(amountMinor), reference ?? "", expiresAt.map(String.init) ?? "", signature ?? "", bankAccountId,
                   client?.rawValue ?? ""].joined(separator: "\u{1F}").utf8)
        }
    }

    struct Created: Encodable, Sendable {
        let transaction: TransactionView
        /// Null while the payment is held for a compliance review (nothing is asked of the bank yet), or
        /// once it no longer waits for approval (a repeated request after it moved on).
        let scaRedirect: String?
    }

    /// `create` under the same `Idempotency-Key` rules as the API route (same scope, same stored
    /// answer), for the pay page's confirm form.
    public func createOnce(user: UserRecord, _ input: Input, idempotencyKey key: String, psuIPAddress: String) async throws -> RemittanceService.Started {
        let outcome = try await idempotentRequests.perform(scope: Self.scope(user.id), key: key, body: input.fingerprint, waitWhileRunning: .seconds(15)) { attempt in
            (.created, try JSON.encoder.encode(try await create(user: user, input, attempt: attempt, psuIPAddress: psuIPAddress)))
        }
        return try JSON.decoder.decode(RemittanceService.Started.self, from: outcome.body)
    }

    static func scope(_ userId: String) -> String { "qr-payment:\(userId)" }

    static let kycRequired = AppError(.forbidden, code: "KYC_REQUIRED", message: "Finish the identity check before paying.")

    func create(user: UserRecord, _ input: Input, attempt: IdempotentAttempt, psuIPAddress: String) async throws -> Created {
        // Prefixed: `transactions` keeps one key per user across kinds, the idempotency store one per route.
        let storedKey = "qr-payment:" + attempt.key
        let payments = paymentInitiation
        // An earlier attempt with this key wrote the payment: finish that one (same bank request).
        if let earlier = try await database.withConnection({
            try await TransactionRepository.bankPayment(userId: user.id, idempotencyKey: storedKey, on: $0)
        }) {
            // Only by the same request: another one under the key (after the first's error) is refused.
            try attempt.ensureSameRequest(as: earlier.requestHash)
            let redirect = earlier.status == .pendingSCA ? try await payments.start(earlier, client: input.client ?? .web, reasking: true).scaRedirect : nil
            return Created(transaction: try await TransactionView.written(id: earlier.id, userId: user.id, in: database), scaRedirect: redirect)
        }
        guard user.kycStatus == .approved else { throw Self.kycRequired }
        // A sanctioned customer is refused by the AML screening below, which records the attempt.
        let merchant = try await merchant(for: input)
        // Checked again when the bank is asked (`PaymentInitiation.order(for:)`); refused here before anything is written.
        guard merchant.record.takesPayments else { throw MerchantService.unavailable() }
        guard merchant.record.userId != user.id else {
            throw AppError.validation("You cannot pay your own business.", details: [ErrorDetail(field: "merchantCode", issue: "own_merchant")])
        }
        let paymentLinkId = try verifyLink(input, code: merchant.code)
        guard QRPaymentLimits.contains(input.amountMinor) else { throw MerchantService.amountOutOfRange() }
        let text = input.reference ?? ""
        if let issue = PaymentReference.issue(text) {
            throw AppError.validation(issue.message, details: [ErrorDetail(field: "reference", issue: issue.issue, message: issue.message)])
        }
        guard let account = try await database.withConnection({ try await BankAccountRepository.find(id: input.bankAccountId, userId: user.id, on: $0) }) else {
            throw AppError.validation("There is no such bank account.", details: [ErrorDetail(field: "bankAccountId", issue: "not_found")])
        }
        if let paymentLinkId, try await linkHolder(paymentLinkId) != nil { throw Self.linkUsed() }
        try await payments.ensurePayable(from: account)

        let now = clock()
        let id = RecordID.make()
        let amount = Money(minorUnits: input.amountMinor, currency: .nok)
        // Only a signature makes the text an order reference; on a static code it is the payer's message.
        // Drop charges nothing for a QR payment (docs/architecture.md, "What Drop is"): fee 0, total = amount.
        let payment = NewTransaction(
            id: id, userId: user.id, kind: .qrPayment, amount: amount, fee: Money(minorUnits: 0, currency: .nok), total: amount,
            merchantId: merchant.record.id, bankAccountId: account.id, idempotencyKey: storedKey,
            message: paymentLinkId == nil ? text.nilIfEmpty : nil, reference: paymentLinkId == nil ? nil : text.nilIfEmpty,
            paymentLinkId: paymentLinkId, paymentLinkExpiresAt: paymentLinkId == nil ? nil : input.expiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            endToEndId: try EndToEndId.make(from: id).value, bankRequestId: RecordID.make(),
            bankProduct: OpenBankingPaymentProduct.norwegianDomesticCreditTransfers.rawValue, psuIPAddress: psuIPAddress,
            scaExpiresAt: now.addingTimeInterval(RemittanceService.scaWindow), requestHash: attempt.requestHash)
        let assessment: AMLAssessment
        do {
            assessment = try await database.transaction { db -> AMLAssessment in
                let payer = try await AMLScreening.payerAsTheyStand(user, on: db)
                guard payer.kycStatus == .approved else { throw Self.kycRequired }
                try await spendingLimits.check(userId: user.id, amount: amount, on: db, now: now, lock: false)
                // The shop as it stands now, as the payer does: read above without a lock.
                guard try await MerchantRepository.findShared(id: merchant.record.id, on: db)?.takesPayments == true else {
                    throw MerchantService.unavailable()
                }
                let assessment = try await AMLScreening.assess(transferId: id, user: payer, payee: .merchant(merchant.record), amount: amount, at: now, on: db)
                // Nothing is written for a block but its alert, here: it commits with the screening.
                guard assessment.decision != .block else {
                    try await AMLScreening.recordBlock(assessment, userId: user.id, at: now, on: db)
                    return assessment
                }
                try await TransactionRepository.open(payment, standingOrderId: nil,
                                                     at: now, on: db)
                try await MerchantRepository.recordEvent(merchantId: merchant.record.id, transactionId: id, status: TransferStatus.pendingSCA.rawValue, at: now, on: db)
                try await AMLScreening.apply(assessment, to: TransactionStatusRecord(id: id, userId: user.id, kind: .qrPayment, status: .pendingSCA),
                                             at: now, on: db)
                return assessment
            }
        } catch where classifyDatabaseError(error) == .uniqueViolation {
            // Two payments of one code at once: the unique index let only the first through.
            if let paymentLinkId, try await linkHolder(paymentLinkId) != nil { throw Self.linkUsed() }
            throw error
        }
        let redirect = try await payments.proceed(after: assessment, transactionId: id, userId: user.id, client: input.client ?? .web,
                                                  account: account, at: now)
        return Created(transaction: try await TransactionView.written(id: id, userId: user.id, in: database), scaRedirect: redirect)
    }

    /// The payment that holds a one-purchase code (under way, held or paid), if any.
    public func linkHolder(_ paymentLinkId: String) async throws -> PaymentLinkHolder? {
        try await database.withConnection { try await QRPaymentRepository.holder(ofLink: paymentLinkId, on: $0) }
    }

    static func linkUsed() -> AppError {
        AppError(.conflict, code: "PAYMENT_LINK_USED", message: "This code has already been paid, or a payment of it is under way.")
    }

    private func merchant(for input: Input) async throws -> (record: MerchantRecord, code: MerchantCode) {
        guard let code = try? MerchantCode(input.merchantCode),
              let record = try await database.withConnection({ try await MerchantRepository.find(code: code.value, on: $0) }) else {
            throw AppError.validation("There is no merchant with this code.", details: [ErrorDetail(field: "merchantCode", issue: "not_found")])
        }
        return (record, code)
    }

    /// A static link fixes nothing. A dynamic one fixes amount, reference and expiry under
    /// Drop's signature: any change to them, or a late payment, is refused. Returns the dynamic
    /// link's identifier (its one purchase), nil for a static link.
    private func verifyLink(_ input: Input, code: MerchantCode) throws -> String? {
        switch (input.expiresAt, input.signature) {
        case (nil, nil):
            return nil
        case (let expiresAt?, let signature?):
            let link = PaymentLink.dynamic(code, terms: .init(amountMinor: input.amountMinor, reference: input.reference ?? "", expiresAt: expiresAt),
                                           signature: signature)
            do {
                try merchants.signer.verify(link, now: clock())
            } catch PaymentLinkError.expired {
                throw AppError(.unprocessableContent, code: "PAYMENT_LINK_EXPIRED", message: "This payment link has expired. Ask the shop for a new code.",
                               details: [ErrorDetail(field: "expiresAt", issue: "expired")])
            } catch {
                throw AppError(.unprocessableContent, code: "PAYMENT_LINK_INVALID",
                               message: "The payment link's amount, reference or expiry does not match its signature.",
                               details: [ErrorDetail(field: "signature", issue: "invalid")])
            }
            return PaymentLinkSigner.identifier(of: link)
        default:
            throw AppError.validation("A dynamic link needs both expiresAt and signature.",
                                      details: [ErrorDetail(field: input.signature == nil ? "signature" : "expiresAt", issue: "required")])
        }
    }

}
