import DropCore
import DropStore
import Foundation

/// Registering a business, reading it, and the payment links its QR codes carry.
public struct MerchantService: Sendable {
    let database: Database
    let publicBaseURL: PublicBaseURL
    let config: AppConfig
    let clock: @Sendable () -> Date

    public struct Input: Codable, Sendable {
        public var organisationNumber: String?
        public var name: String?
        public var mcc: String?
        public var city: String?
        /// An account number or Norwegian IBAN; it must be one of the user's own linked accounts.
        public var settlementAccount: String?
        /// Or the id of one of the user's linked accounts (what the web form sends).
        public var settlementBankAccountId: String?

        public init(organisationNumber: String?, name: String?, mcc: String?, city: String?, settlementAccount: String?,
                    settlementBankAccountId: String? = nil) {
            self.organisationNumber = organisationNumber
            self.name = name
            self.mcc = mcc
            self.city = city
            self.settlementAccount = settlementAccount
            self.settlementBankAccountId = settlementBankAccountId
        }
    }

    /// Every field checked before anything is written, so the form can show all problems at once.
    struct Validated {
        let organisationNumber: OrganisationNumber
        let name: String
        let mcc: MerchantCategoryCode
        let city: String
        /// Nil when the account is chosen by id.
        let settlementAccount: NorwegianAccountNumber?
        let settlementBankAccountId: String?
    }

    static func validate(_ input: Input) throws -> Validated {
        var details: [ErrorDetail] = []
        func issue(_ field: String, _ issue: ValidationIssue) { details.append(ErrorDetail(field: field, issue: issue.issue, message: issue.message)) }
        func required(_ field: String, _ value: String?) -> String? {
            let trimmed = value.map { $0.trimmingSurroundingWhitespace() } ?? ""
            if trimmed.isEmpty { details.append(ErrorDetail(field: field, issue: "required")) }
            return trimmed.isEmpty ? nil : trimmed
        }
        var organisation: OrganisationNumber?
        if let raw = required("organisationNumber", input.organisationNumber) {
            do { organisation = try OrganisationNumber(raw) } catch { issue("organisationNumber", error) }
        }
        let name = required("name", input.name)
        // Code points: the name is the payments' creditorName, which the bank counts that way (Max70Text).
        if let name, name.unicodeScalars.count > 70 { details.append(ErrorDetail(field: "name", issue: "too_long", message: "At most 70 characters.")) }
        if let issue = FreeText.controlCharacterIssue(name, field: "name") { details.append(ErrorDetail(issue)) }
        var mcc: MerchantCategoryCode?
        if let raw = required("mcc", input.mcc) {
            do { mcc = try MerchantCategoryCode(raw) } catch { issue("mcc", error) }
        }
        let city = required("city", input.city)
        if let city, city.count > 50 { details.append(ErrorDetail(field: "city", issue: "too_long", message: "At most 50 characters.")) }
        if let issue = FreeText.controlCharacterIssue(city, field: "city") { details.append(ErrorDetail(issue)) }
        var account: NorwegianAccountNumber?
        let accountId = input.settlementBankAccountId?.trimmingSurroundingWhitespace().nilIfEmpty
        if accountId == nil, let raw = required("settlementAccount", input.settlementAccount) {
            account = settlementAccount(raw, details: &details)
        } else if let raw = input.settlementAccount?.trimmingSurroundingWhitespace().nilIfEmpty {
            account = settlementAccount(raw, details: &details)
        }
        guard details.isEmpty, let organisation, let name, let mcc, let city, account != nil || accountId != nil else {
            throw AppError.validation("Some fields need another look.", details: details)
        }
        return Validated(organisationNumber: organisation, name: name, mcc: mcc, city: city, settlementAccount: account,
                         settlementBankAccountId: accountId)
    }

    /// Payments go straight to the settlement account, so it must be proven the owner's: one of
    /// their own linked, active NOK accounts, chosen by id or by its number. Anyone else's number
    /// (a relative's, a mule's) is refused.
    static func ownSettlementAccount(_ valid: Validated, userId: String, on db: DatabaseConnection) async throws -> (number: NorwegianAccountNumber, accountId: String) {
        let linked = try await BankAccountRepository.all(userId: userId, on: db).compactMap { account -> (NorwegianAccountNumber, BankAccountRecord)? in
            guard account.status == .active, account.currency == Currency.nok.code, let number = norwegianNumber(of: account) else { return nil }
            return (number, account)
        }
        if let id = valid.settlementBankAccountId {
            guard let match = linked.first(where: { $0.1.id == id }) else {
                throw AppError.validation("Choose one of your own linked bank accounts.", details: [
                    ErrorDetail(field: "settlementBankAccountId", issue: "not_found", message: "Choose one of your own linked, active NOK accounts.")])
            }
            if let given = valid.settlementAccount, given != match.0 {
                throw AppError.validation("The account number is not the chosen account's.", details: [
                    ErrorDetail(field: "settlementAccount", issue: "mismatch", message: "The account number is not the chosen account's.")])
            }
            return (match.0, match.1.id)
        }
        guard let given = valid.settlementAccount, let match = linked.first(where: { $0.0 == given }) else {
            throw AppError.validation("The settlement account must be one of your own linked bank accounts.", details: [
                ErrorDetail(field: "settlementAccount", issue: "not_own_account",
                            message: "Link the account at your bank first; payments are settled only to your own account.")])
        }
        return (match.0, match.1.id)
    }

    /// The account's Norwegian number: its BBAN, or read from a Norwegian IBAN.
    public static func norwegianNumber(of account: BankAccountRecord) -> NorwegianAccountNumber? {
        NorwegianAccountNumber.of(bban: account.bban, iban: account.iban)
    }

    /// An 11-digit account number, or a Norwegian IBAN (stored as its account number: the bank
    /// pays NOK domestically).
    private static func settlementAccount(_ raw: String, details: inout [ErrorDetail]) -> NorwegianAccountNumber? {
        let looksLikeIBAN = raw.uppercased().unicodeScalars.first.map { CharacterSet.letters.contains($0) } ?? false
        do {
            if looksLikeIBAN {
                let iban = try IBAN(raw)
                guard iban.countryCode.rawValue == "NO" else {
                    details.append(ErrorDetail(field: "settlementAccount", issue: ValidationIssue.Code.country,
                                               message: "Payments are settled to a Norwegian account."))
                    return nil
                }
                return try NorwegianAccountNumber(iban: iban)
            }
            return try NorwegianAccountNumber(raw)
        } catch {
            details.append(ErrorDetail(field: "settlementAccount", issue: error.issue, message: error.message))
            return nil
        }
    }

    /// Registers the user's business: the merchant row, the user's new role and both audit rows
    /// in one DB transaction. The role is read from the database on every request, so the
    /// session the user registered with is a merchant's from the next request on.
    public func register(user: UserRecord, _ input: Input, requestID: String?) async throws -> MerchantView {
        // Payments to a business are payments to its owner: only someone whose identity is checked may take them.
        guard user.kycStatus == .approved else {
            throw AppError(.forbidden, code: "KYC_REQUIRED", message: "Finish the identity check before registering a business.")
        }
        let valid = try Self.validate(input)
        let now = clock()
        let record: MerchantRecord
        do {
            record = try await registered(user: user, valid, requestID: requestID, at: now)
        } catch let refusal as Refusal {
            throw try await refused(refusal, claimant: user.id, at: now)
        } catch where classifyDatabaseError(error) == .uniqueViolation {
            // Two registrations at once (a double click, or two people naming one business): the unique
            // indexes let only the first through, and this one is answered as if it had come second.
            guard let refusal = try await database.withConnection({ try await Self.refusal(valid, userId: user.id, on: $0) }) else { throw error }
            throw try await refused(refusal, claimant: user.id, at: now)
        }
        return MerchantView(record)
    }

    public static let existsCode = "MERCHANT_EXISTS"
    static let organisationRegisteredCode = "ORGANISATION_ALREADY_REGISTERED"

    /// Why a business can't be registered.
    enum Refusal: Error {
        /// Drop registers one business per user.
        case registered(sameBusiness: Bool)
        /// Another person's open business has this organisation number.
        case organisationHeld(merchantId: String)
    }

    static func refusal(_ valid: Validated, userId: String, on db: DatabaseConnection) async throws -> Refusal? {
        if let existing = try await MerchantRepository.find(userId: userId, on: db) {
            return .registered(sameBusiness: existing.organisationNumber == valid.organisationNumber.digits)
        }
        return try await MerchantRepository.openHolder(organisationNumber: valid.organisationNumber.digits, otherThan: userId, on: db)
            .map { .organisationHeld(merchantId: $0) }
    }

    /// The answer to a refused registration. Drop does not ask Enhetsregisteret who owns a number,
    /// so a second person naming a registered business may be passing as it (or the first was):
    /// operations is told once per business and claimant, in a transaction of its own (the
    /// registration's wrote nothing).
    private func refused(_ refusal: Refusal, claimant userId: String, at now: Date) async throws -> AppError {
        switch refusal {
        case .registered(let same):
            return AppError.conflict(same ? "This business is already registered." : "You already have a registered business.", code: Self.existsCode)
        case .organisationHeld(let merchantId):
            try await database.transaction { db in
                try await OperationsAlertRepository.raise(.organisationAlreadyRegistered, entityType: "merchant", entityId: merchantId,
                                                          details: OperationsAlertDetails.OrganisationClaimed(claimantUserId: userId),
                                                          dedupeKey: "organisation-already-registered:\(merchantId):\(userId)", at: now, on: db)
            }
            return AppError(.conflict, code: Self.organisationRegisteredCode,
                            message: "This organisation number is already registered at Drop. If the business is yours, contact us.",
                            details: [ErrorDetail(field: "organisationNumber", issue: "already_registered")])
        }
    }

    private func registered(user: UserRecord, _ valid: Validated, requestID: String?, at now: Date) async throws -> MerchantRecord {
        try await database.transaction { db -> MerchantRecord in
            if let refusal = try await Self.refusal(valid, userId: user.id, on: db) { throw refusal }
            let settlement = try await Self.ownSettlementAccount(valid, userId: user.id, on: db)
            var code = MerchantCode.generate()
            while try await MerchantRepository.codeExists(code.value, on: db) { code = MerchantCode.generate() }
            let record = MerchantRecord(
                id: RecordID.make(), userId: user.id, code: code.value, organisationNumber: valid.organisationNumber.digits,
                name: valid.name, mcc: valid.mcc.digits, city: valid.city, settlementAccount: settlement.number.digits,
                // Enhetsregisteret is not asked yet: "verified" means only that the owner passed the identity check.
                verified: user.kycStatus == .approved, createdAt: now, updatedAt: now,
                settlementBankAccountId: settlement.accountId,
                owner: MerchantOwnerStanding(kycStatus: user.kycStatus, isSanctioned: user.isSanctioned, erased: false))
            try await MerchantRepository.insert(record, on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "merchant.registered", entityType: "merchant",
                                                 entityId: record.id, data: ["code": record.code, "mcc": record.mcc],
                                                 requestId: requestID), at: now, on: db)
            // Admins keep their role: it already includes the merchant's routes.
            let promoted = try await UserRepository.promoteToMerchant(userId: user.id, at: now, on: db)
            if promoted {
                try await SessionChanges.changed(userId: user.id, on: db)
                try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "user.role_changed", entityType: "user",
                                                     entityId: user.id, data: ["from": UserRole.user, "to": .merchant], requestId: requestID),
                                          at: now, on: db)
            }
            return record
        }
    }

    /// The signed-in user's merchant, or 404.
    public func mine(userId: String) async throws -> MerchantRecord {
        guard let record = try await database.withConnection({ try await MerchantRepository.find(userId: userId, on: $0) }) else {
            throw AppError.notFound("You have not registered a business.")
        }
        return record
    }

    /// Anyone may look a code up; a malformed code is simply not found.
    public func publicMerchant(code: String) async throws -> MerchantRecord {
        guard let code = try? MerchantCode(code),
              let record = try await database.withConnection({ try await MerchantRepository.find(code: code.value, on: $0) }) else {
            throw AppError.notFound("There is no merchant with this code.")
        }
        return record
    }

    /// The merchant's static link, or with an amount a signed dynamic one that expires after
    /// the configured lifetime.
    public func link(for merchant: MerchantRecord, amountMinor: Int64?, reference: String?) throws -> (link: PaymentLink, view: PaymentLinkView) {
        let code = try MerchantCode(merchant.code)
        let base = publicBaseURL.url
        guard let amountMinor else {
            if let reference, !reference.isEmpty {
                throw AppError.validation("A reference needs an amount.", details: [ErrorDetail(field: "amountMinor", issue: "required")])
            }
            let link = PaymentLink.staticLink(code)
            return (link, PaymentLinkView(url: link.url(base: base), code: code.value, amountMinor: nil, reference: nil, expiresAt: nil))
        }
        guard QRPaymentLimits.contains(amountMinor) else { throw Self.amountOutOfRange() }
        let reference = reference ?? ""
        if let issue = PaymentReference.issue(reference) {
            throw AppError.validation(issue.message, details: [ErrorDetail(field: "reference", issue: issue.issue, message: issue.message)])
        }
        let expiry = clock().addingTimeInterval(config.paymentLinkLifetime)
        let expiresAt = Int64(expiry.timeIntervalSince1970.rounded(.down))
        let link = signer.sign(code, terms: .init(amountMinor: amountMinor, reference: reference, expiresAt: expiresAt))
        return (link, PaymentLinkView(url: link.url(base: base), code: code.value, amountMinor: amountMinor, reference: reference,
                                      expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt))))
    }

    var signer: PaymentLinkSigner { PaymentLinkSigner(secrets: config.secrets.paymentLinkSecrets) }

    static let unavailableCode = "MERCHANT_UNAVAILABLE"

    /// A business whose owner may no longer take payments (`MerchantOwnerStanding`): not why, to
    /// the payer, only that it can't be paid now.
    static func unavailable() -> AppError {
        AppError(.conflict, code: unavailableCode, message: "This business can't take payments right now.",
                 details: [ErrorDetail(field: "merchantCode", issue: "unavailable")])
    }

    static func amountOutOfRange() -> AppError {
        AppError.limitExceeded(
            "A QR payment is between \(QRPaymentLimits.minimum.formatted(for: .en)) and \(QRPaymentLimits.maximum.formatted(for: .en)).",
            details: [ErrorDetail(field: "amountMinor", issue: "range")])
    }

    /// The QR symbol for a link, as SVG.
    public func svg(_ link: PaymentLinkView, merchantName: String) throws -> String {
        do {
            return try QRCode(text: link.url, errorCorrectionLevel: .medium).svg(title: "QR code to pay \(merchantName)")
        } catch {
            // A link is well under a QR code's capacity; a failure here is a bug, not bad input.
            throw AppError.internalError
        }
    }
}
