import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// Linking a bank (AIS): a consent at the bank, the user's approval there, then the accounts
/// it covers, read into `bank_accounts`. And unlinking.
public struct BankConnectionService: Sendable {
    let database: Database
    let openBanking: Lazy<any OpenBanking>
    /// Opens the person's sealed national identity number, which their bank knows them by.
    let pidCipher: PidCipher
    let publicBaseURL: PublicBaseURL
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(database: Database, openBanking: Lazy<any OpenBanking>, pidCipher: PidCipher, publicBaseURL: PublicBaseURL,
                clock: @escaping @Sendable () -> Date, logger: Logger) {
        self.database = database
        self.openBanking = openBanking
        self.pidCipher = pidCipher
        self.publicBaseURL = publicBaseURL
        self.clock = clock
        self.logger = logger
    }

    /// Consents last as long as PSD2 lets an AISP go without a new SCA (RTS Art. 10a: 180 days).
    public static let consentDays = 180

    /// Where the bank sends the user back; the app gets a deep link, the browser a page.
    public enum Client: String, Decodable, Sendable {
        case web, mobile
    }

    public struct Started: Encodable, Sendable {
        public let consentId: String
        public let scaRedirect: String
    }

    public func connect(userId: String, bank requested: String, client: Client, psuIPAddress: String) async throws -> Started {
        guard let bank = BankDirectory.norway.find(requested) else {
            throw AppError.validation("Drop can't connect to that bank.", details: [ErrorDetail(field: "bank", issue: "unknown")])
        }
        let psu = try await psuId(userId: userId)
        let now = clock()
        let id = RecordID.make()
        let callback = publicBaseURL.url + "/v1/bank-accounts/callback?connection=\(id)&client=\(client.rawValue)"
        let validUntil = try OsloCalendar.today(now).adding(days: Self.consentDays).description
        let started = try await openBanking.wrapped.createConsent(
            bank: bank.id, psuId: psu.digitsForHashing, psuIPAddress: psuIPAddress, validUntil: validUntil,
            frequencyPerDay: 4, redirectURI: callback, nokRedirectURI: callback + "&result=nok")
        try await database.transaction { db in
            try await BankConsentRepository.insert(BankConsentRecord(
                id: id, userId: userId, bankId: bank.id, providerConsentId: started.id, status: .received,
                validUntil: validUntil, frequencyPerDay: 4, createdAt: now, updatedAt: now), on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "bank_consent.requested",
                                                 entityType: "bank_consent", entityId: id, data: ["bank": bank.id]),
                                      at: now, on: db)
        }
        return Started(consentId: id, scaRedirect: started.scaRedirect)
    }

    /// The customer's national identity number, the bank's `PSU-ID`: only that person may approve
    /// at the bank. Customers who haven't signed in since Drop began keeping it sign in again first.
    func psuId(userId: String) async throws -> NationalIdentityNumber {
        let sealed = try await database.withConnection { try await UserRepository.sealedPid(userId: userId, on: $0) }
        guard let sealed, let number = psuId(sealed: sealed, userId: userId) else {
            throw AppError(.conflict, code: "SIGN_IN_AGAIN",
                           message: "Sign in again with BankID, then link your bank: the bank needs to know it is you who approves.")
        }
        return number
    }

    /// The PSU-ID from the number as stored, already read (nil if it can't be opened).
    func psuId(sealed: String, userId: String) -> NationalIdentityNumber? {
        pidCipher.open(sealed, userId: userId)
    }

    enum Completion: Sendable, Equatable {
        case connected(bankId: String)
        case failed(code: String)
    }

    /// The bank sent the user back. Asks the bank (the redirect itself proves nothing) and, when
    /// the consent is valid, reads the accounts it covers. Reloading the page is harmless.
    func complete(connectionId: String, psuIPAddress: String) async throws -> Completion {
        guard let consent = try await database.withConnection({ try await BankConsentRepository.find(id: connectionId, on: $0) }) else {
            return .failed(code: "NOT_FOUND")
        }
        switch consent.status {
        case .valid: return .connected(bankId: consent.bankId)
        case .received: break
        default: return .failed(code: "BANK_DENIED")
        }
        let bank = openBanking.wrapped
        let status: BankConsentStatus
        let accounts: [OpenBankingAccount]
        do {
            let details = try await bank.consent(bank: consent.bankId, consentId: consent.providerConsentId)
            status = BankConsentStatus(bankConsentStatus: details.status)
            // Defence in depth: should the bank have let someone else approve, their accounts are not this customer's.
            if status == .valid, !(try await isCustomer(details.psuId, userId: consent.userId)) {
                return try await refuseForeignPSU(consent)
            }
            accounts = status == .valid
                ? try await bank.accounts(bank: consent.bankId, consentId: consent.providerConsentId, psuIPAddress: psuIPAddress)
                : []
        } catch is ProviderError {
            return .failed(code: "PROVIDER_UNAVAILABLE")
        } catch is OpenBankingError {
            return .failed(code: "BANK_DENIED")
        }
        guard status == .valid else {
            if status != .received {
                let now = clock()
                try await database.transaction { db in
                    try await BankConsentRepository.transition(id: consent.id, from: [.received], to: .rejected, at: now, on: db)
                }
            }
            return .failed(code: "BANK_DENIED")
        }
        let now = clock()
        try await database.transaction { db in
            guard try await BankConsentRepository.transition(id: consent.id, from: [.received], to: .valid, at: now, on: db) else { return }
            for account in accounts {
                try await BankAccountRepository.upsert(BalanceService.record(account, consent: consent, at: now), on: db)
            }
            try await AuditLog.append(AuditEntry(actor: .user(id: consent.userId), action: "bank_consent.granted",
                                                 entityType: "bank_consent", entityId: consent.id,
                                                 data: Granted(bank: consent.bankId, accounts: accounts.count)),
                                      at: now, on: db)
        }
        return .connected(bankId: consent.bankId)
    }

    /// Whether the PSU the bank reports is the customer. A bank that doesn't report one was given
    /// the `PSU-ID` and checked it itself.
    private func isCustomer(_ reported: String?, userId: String) async throws -> Bool {
        guard let reported else { return true }
        // No readable number (erased meanwhile): nothing to prove the accounts theirs. A read that failed
        // proves nothing either way: thrown, so the consent stays as it is and the callback is loaded again,
        // never deleted at the bank as someone else's.
        let number: NationalIdentityNumber
        do { number = try await psuId(userId: userId) } catch is AppError { return false }
        return (try? NationalIdentityNumber(reported))?.digitsForHashing == number.digitsForHashing
    }

    /// Ends a consent someone other than the customer approved: at the bank (Drop keeps no access to
    /// another person's accounts) and here; nothing is linked.
    private func refuseForeignPSU(_ consent: BankConsentRecord) async throws -> Completion {
        do {
            try await openBanking.wrapped.deleteConsent(bank: consent.bankId, consentId: consent.providerConsentId)
        } catch is OpenBankingError {
            // Already ended at the bank.
        }
        let now = clock()
        try await database.transaction { db in
            try await BankConsentRepository.transition(id: consent.id, from: [.received], to: .rejected, at: now, on: db)
            try await AuditLog.append(AuditEntry(actor: .provider("bank-\(consent.bankId)"), action: "bank_consent.psu_mismatch",
                                                 entityType: "bank_consent", entityId: consent.id, data: ["bank": consent.bankId]),
                                      at: now, on: db)
        }
        return .failed(code: "PSU_MISMATCH")
    }

    /// Unlinks one account. When it was the last one under its consent, the consent is deleted
    /// at the bank first, so Drop can no longer read anything there. Two removals at once (two taps,
    /// two devices) each counted the other's account: the last one to commit finds none left under
    /// the consent's lock, ends the consent and deletes it at the bank afterwards.
    public func remove(accountId: String, userId: String) async throws {
        let found = try await database.withConnection { db -> (BankAccountRecord, BankConsentRecord?, Int)? in
            guard let account = try await BankAccountRepository.find(id: accountId, userId: userId, on: db) else { return nil }
            let siblings = try await BankAccountRepository.all(consentId: account.consentId, on: db).count
            return (account, try await BankConsentRepository.find(id: account.consentId, on: db), siblings)
        }
        guard let (account, consent, siblings) = found else { throw AppError.notFound("No such bank account.") }
        let deletedAtBank = siblings == 1
        if deletedAtBank, let consent { try await deleteAtBank(consent) }
        let now = clock()
        let lastOne = try await database.transaction { db -> Bool in
            try await BankConsentRepository.lock(id: account.consentId, on: db)
            try await BankAccountRepository.remove(id: account.id, at: now, on: db)
            let lastOne = try await BankAccountRepository.all(consentId: account.consentId, on: db).isEmpty
            if lastOne {
                try await BankConsentRepository.transition(id: account.consentId, from: [.valid, .received, .expired, .revoked],
                                                           to: .terminated, at: now, on: db)
            }
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "bank_account.removed",
                                                 entityType: "bank_account", entityId: account.id,
                                                 data: ["consentTerminated": lastOne]),
                                      at: now, on: db)
            return lastOne
        }
        guard lastOne, !deletedAtBank, let consent else { return }
        // The account was removed either way: a bank that can't be reached now keeps a consent Drop no
        // longer uses (terminated here), which lapses there by its end date, as at erasure.
        do { try await deleteAtBank(consent) } catch {
            logger.notice("bank consent not deleted after its last account was removed", metadata: [
                "bank": .string(consent.bankId), "error_type": .string(String(describing: type(of: error))),
            ])
        }
    }

    private func deleteAtBank(_ consent: BankConsentRecord) async throws {
        guard consent.status == .valid else { return }
        do {
            try await openBanking.wrapped.deleteConsent(bank: consent.bankId, consentId: consent.providerConsentId)
        } catch is OpenBankingError {
            // Already gone at the bank (expired, revoked, unknown): nothing left to revoke.
        }
    }
}

extension BankConnectionService {
    /// What `bank_consent.granted` records.
    struct Granted: Encodable {
        let bank: String
        let accounts: Int
    }
}
