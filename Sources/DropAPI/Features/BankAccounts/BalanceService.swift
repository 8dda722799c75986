import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// A linked account with whether its balance is out of date.
public struct LinkedAccount: Sendable {
    public var record: BankAccountRecord
    public var stale: Bool
}

/// Balances, cache-aside: a balance younger than `freshFor` is served as is; an older one is
/// read again from the bank; when the bank can't answer (down, breaker open, the consent's daily
/// budget spent, the consent ended) the last known balance is served, flagged `stale`.
public struct BalanceService: Sendable {
    let database: Database
    let openBanking: Lazy<any OpenBanking>
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(database: Database, openBanking: Lazy<any OpenBanking>, clock: @escaping @Sendable () -> Date, logger: Logger) {
        self.database = database
        self.openBanking = openBanking
        self.clock = clock
        self.logger = logger
    }

    /// Long enough that opening the app twice doesn't ask the bank twice, short enough that a
    /// payment made elsewhere shows up soon.
    public static let freshFor: TimeInterval = 300

    /// Whether the user is asking right now (their IP goes to the bank, and the read does not
    /// count against the consent's unattended budget) or a job reads on its own.
    public enum Presence: Sendable {
        case present(ipAddress: String)
        case absent

        var psuIPAddress: String? {
            if case .present(let ip) = self { return ip }
            return nil
        }
    }

    /// The user's linked accounts, refreshed where stale (or every one when `force`).
    public func accounts(userId: String, presence: Presence, force: Bool = false) async throws -> [LinkedAccount] {
        let now = clock()
        let accounts = try await database.withConnection { try await BankAccountRepository.all(userId: userId, on: $0) }
        // The cached case (nothing old) is one query: consents are read only for the banks to ask.
        let due = Set(accounts.filter { force || Self.isOld($0, now: now) }.map(\.consentId))
        if due.isEmpty {
            return accounts.map { LinkedAccount(record: $0, stale: $0.status != .active) }
        }
        let consents = try await database.withConnection { db in
            var consents: [String: BankConsentRecord] = [:]
            for id in due { consents[id] = try await BankConsentRepository.find(id: id, on: db) }
            return consents
        }
        var unavailable: Set<String> = []
        for consentId in due.sorted() {
            guard let consent = consents[consentId], consent.status == .valid else { continue }
            if try await refresh(consent, presence: presence) != .refreshed { unavailable.insert(consentId) }
        }
        let current = try await database.withConnection { try await BankAccountRepository.all(userId: userId, on: $0) }
        return current.map { LinkedAccount(record: $0, stale: unavailable.contains($0.consentId) || $0.status != .active || Self.isOld($0, now: now)) }
    }

    static func isOld(_ account: BankAccountRecord, now: Date) -> Bool {
        guard let synced = account.balanceSyncedAt else { return true }
        return now.timeIntervalSince(synced) > freshFor
    }

    enum RefreshOutcome: Sendable, Equatable {
        case refreshed
        /// The bank, its breaker or the daily budget said not now; the cache stays.
        case unavailable
        /// The consent expired or was revoked; the user has been asked to reconnect.
        case consentEnded
    }

    /// Reads every account of the consent with balances and stores what the bank said.
    func refresh(_ consent: BankConsentRecord, presence: Presence) async throws -> RefreshOutcome {
        let answer: [OpenBankingAccount]
        do {
            answer = try await openBanking.wrapped.accounts(
                bank: consent.bankId, consentId: consent.providerConsentId, psuIPAddress: presence.psuIPAddress)
        } catch OpenBankingError.consentExpired {
            try await end(consent, status: .expired)
            return .consentEnded
        } catch OpenBankingError.consentInvalid, OpenBankingError.consentUnknown {
            try await end(consent, status: .revoked)
            return .consentEnded
        } catch {
            // Transport trouble, 5xx, an open breaker, ACCESS_EXCEEDED or a garbled answer:
            // keep what we have. The client has logged the details.
            logger.notice("balance refresh not possible", metadata: [
                "bank": .string(consent.bankId), "error_type": .string(String(describing: type(of: error))),
            ])
            return .unavailable
        }
        let now = clock()
        try await database.transaction { db in
            for account in answer {
                try await BankAccountRepository.upsert(Self.record(account, consent: consent, at: now), on: db)
            }
            try await BankConsentRepository.touch(id: consent.id, at: now, on: db)
        }
        return .refreshed
    }

    /// The row for an account the bank listed under `consent`.
    static func record(_ account: OpenBankingAccount, consent: BankConsentRecord, at now: Date) -> BankAccountRecord {
        BankAccountRecord(
            id: UUID().uuidString.lowercased(), userId: consent.userId, consentId: consent.id, bankId: consent.bankId,
            providerAccountId: account.resourceId, iban: account.iban, bban: account.bban,
            bic: BankDirectory.norway.banks.first { $0.id == consent.bankId }?.bic, name: account.name ?? account.product,
            currency: account.currency, balanceMinor: account.balance?.minorUnits, balanceSyncedAt: account.balance == nil ? nil : now,
            status: .active, createdAt: now, updatedAt: now)
    }

    /// The consent is over: its accounts need a new link, and the user is told once.
    private func end(_ consent: BankConsentRecord, status: BankConsentStatus) async throws {
        let now = clock()
        let bankName = BankDirectory.norway.name(of: consent.bankId)
        try await database.transaction { db in
            guard try await BankConsentRepository.transition(id: consent.id, from: [.valid], to: status, at: now, on: db) else { return }
            try await BankAccountRepository.setStatus(consentId: consent.id, to: .reconnect, at: now, on: db)
            try await AuditLog.append(AuditEntry(actor: .provider("bank-\(consent.bankId)"), action: "bank_consent.\(status.rawValue)",
                                                 entityType: "bank_consent", entityId: consent.id, data: ["status": status]),
                                      at: now, on: db)
            try await NotificationRepository.insert(NotificationRecord(
                userId: consent.userId, kind: .bankReconnect, title: "Reconnect \(bankName)",
                body: "Drop can no longer read your accounts at \(bankName). Connect the bank again to see balances and pay from it.",
                link: NotificationLink(bankConsentId: consent.id, bankId: consent.bankId), createdAt: now), on: db)
        }
    }

    /// The job: reads, without the user, balances not refreshed for `olderThan`, one call per
    /// consent. Each counts against the consent's unattended budget (4 a day), so it runs rarely.
    public func refreshUnattended(olderThan age: TimeInterval) async throws -> Int {
        let cutoff = clock().addingTimeInterval(-age)
        let consents = try await database.withConnection { try await BankConsentRepository.withStaleBalances(syncedBefore: cutoff, on: $0) }
        var refreshed = 0
        for id in consents {
            guard let consent = try await database.withConnection({ try await BankConsentRepository.find(id: id, on: $0) }) else { continue }
            if try await refresh(consent, presence: .absent) == .refreshed { refreshed += 1 }
        }
        return refreshed
    }
}
