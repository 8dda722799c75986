import DropCore
import DropProviders
import DropStore
import Foundation
import Logging
import NIOCore

/// A linked account with whether its balance is out of date.
public struct LinkedAccount: Sendable {
    public var record: BankAccountRecord
    public var stale: Bool

    /// What the NOK accounts hold together (Drop links Norwegian accounts; others don't add up to
    /// it). Nil when the banks' balances add up to more than an Int64 of øre: a bank's answer is
    /// not checked for being plausible, and one sum that traps would end the process for everyone.
    public static func nokTotal(of accounts: [LinkedAccount]) -> Money? {
        let balances = accounts.filter { $0.record.currency == Currency.nok.code }
            .compactMap { $0.record.balanceMinor.map { Money(minorUnits: $0, currency: .nok) } }
        return try? Money.sum(balances, in: .nok)
    }
}

/// Balances, cache-aside: a balance younger than `freshFor` is served as is; an older one is
/// read again from the bank; when the bank can't answer (down, breaker open, the consent's daily
/// budget spent, the consent ended) the last known balance is served, flagged `stale`.
public struct BalanceService: Sendable {
    let database: Database
    let openBanking: Lazy<any OpenBanking>
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Each customer's accounts and `GET /v1/balance` answer while their `BalanceVersion` stands
    /// still and the balances are fresh (`BALANCE_CACHE=off`: none; ADR 0013).
    let cache: AnswerCache<String, [LinkedAccount]>?
    let metrics: AppMetrics?

    public init(database: Database, openBanking: Lazy<any OpenBanking>, clock: @escaping @Sendable () -> Date, logger: Logger) {
        self.init(database: database, openBanking: openBanking, clock: clock, logger: logger, cache: nil, metrics: nil)
    }

    init(database: Database, openBanking: Lazy<any OpenBanking>, clock: @escaping @Sendable () -> Date, logger: Logger,
         cache: AnswerCache<String, [LinkedAccount]>?, metrics: AppMetrics?) {
        self.database = database
        self.openBanking = openBanking
        self.clock = clock
        self.logger = logger
        self.cache = cache
        self.metrics = metrics
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
        try await upToDate(try await stored(userId: userId), userId: userId, presence: presence, force: force)
    }

    /// `GET /v1/balance` as the API sends it. While every balance is fresh the answer comes from
    /// memory as long as the customer's `BalanceVersion` stands still; that number is read first,
    /// so an answer read while a write commits is kept under the number from before it and never
    /// served. An answer with an old balance in it (the bank couldn't be asked) is never kept.
    ///
    /// Unlike the dashboard's accounts (`accountsOnFirstVisit`, ADR 0024), a first visit here still reads the
    /// number first: read with the accounts it measured no faster on PostgreSQL and slower on SQLite.
    func balanceJSON(userId: String, presence: Presence) async throws -> ByteBuffer {
        guard let cache else { return Self.encode(try await accounts(userId: userId, presence: presence)) }
        let version = try await BalanceVersion.current(userId: userId, in: database)
        return try await kept(in: cache, userId: userId, presence: presence, version: version).encoded(Self.encode)
    }

    /// The accounts as `accounts(userId:presence:)` gives them, from the same memory as the API's
    /// answer, for a caller that read the customer's `BalanceVersion` itself (the dashboard reads
    /// it in the same statement as the rest of the page).
    public func accounts(userId: String, presence: Presence, version: Int64) async throws -> [LinkedAccount] {
        guard let cache else { return try await accounts(userId: userId, presence: presence) }
        return try await kept(in: cache, userId: userId, presence: presence, version: version).typed()
    }

    /// Whether this process holds nothing of the customer's accounts, so that `accountsOnFirstVisit` reads them
    /// without waiting for their number (never, with `BALANCE_CACHE=off`: every read then goes to the database).
    public func isFirstVisit(userId: String) -> Bool {
        cache.map { !$0.holds(userId) } ?? false
    }

    /// For a caller that holds nothing of the customer: their accounts read with their `BalanceVersion` in one
    /// statement and kept under it, without the number read first. Nil when something is held (ask
    /// `accounts(userId:presence:version:)` with the number) or the customer has no account.
    public func accountsOnFirstVisit(userId: String, presence: Presence) async throws -> [LinkedAccount]? {
        guard let cache, !cache.holds(userId),
              let read = try await BankAccountRepository.allNumbered(userId: userId, in: database) else { return nil }
        return try await kept(in: cache, userId: userId, presence: presence, version: read.version, read: read.value).typed()
    }

    /// Reads the customer's accounts into memory before they ask (`WarmStart`), when this process holds nothing of
    /// them and none of their balances is old: reading ahead never asks a bank. True when kept.
    func readAhead(userId: String) async throws -> Bool {
        guard let cache, !cache.holds(userId),
              let read = try await BankAccountRepository.allNumbered(userId: userId, in: database),
              let servableUntil = Self.freshUntil(read.value, now: clock()) else { return false }
        let accounts = read.value.map(Self.asStored)
        cache.store(.init(value: accounts, json: Self.encode(accounts)), for: userId, version: read.version, servableUntil: servableUntil)
        return true
    }

    /// The answer under `version`, from memory or read; `read` is the accounts when the caller read them with that number.
    private func kept(in cache: AnswerCache<String, [LinkedAccount]>, userId: String, presence: Presence,
                      version: Int64, read: [BankAccountRecord]? = nil) async throws -> AnswerCache<String, [LinkedAccount]>.Answer {
        let now = clock()
        return try await cache.answer(for: userId, version: version, now: now, counted: { metrics?.countRead(of: .balance, hit: $0) }) {
            let stored = if let read { read } else { try await stored(userId: userId) }
            let accounts = try await upToDate(stored, userId: userId, presence: presence)
            return (.init(value: accounts, json: Self.encode(accounts)), Self.freshUntil(stored, now: now))
        }
    }

    private static func encode(_ accounts: [LinkedAccount]) -> ByteBuffer {
        JSONWriter.encode(BalanceView(accounts), capacity: 160 + 400 * accounts.count)
    }

    /// Until when none of `accounts`' balances needs asking the bank again; nil when one does now.
    static func freshUntil(_ accounts: [BankAccountRecord], now: Date) -> Date? {
        guard !accounts.contains(where: { isOld($0, now: now) }) else { return nil }
        return accounts.compactMap(\.balanceSyncedAt).min().map { $0.addingTimeInterval(freshFor) } ?? .distantFuture
    }

    private func stored(userId: String) async throws -> [BankAccountRecord] {
        try await BankAccountRepository.all(userId: userId, in: database)
    }

    /// `accounts` as they are, or read again where old (all of them when `force`).
    private func upToDate(_ accounts: [BankAccountRecord], userId: String, presence: Presence, force: Bool = false) async throws -> [LinkedAccount] {
        let now = clock()
        // The cached case (nothing old) is one query: consents are read only for the banks to ask.
        let due = Set(accounts.filter { force || Self.isOld($0, now: now) }.map(\.consentId))
        if due.isEmpty { return accounts.map(Self.asStored) }
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
        let current = try await stored(userId: userId)
        return current.map { LinkedAccount(record: $0, stale: unavailable.contains($0.consentId) || $0.status != .active || Self.isOld($0, now: now)) }
    }

    /// An account whose balance needs no asking, as stored.
    private static func asStored(_ account: BankAccountRecord) -> LinkedAccount {
        LinkedAccount(record: account, stale: account.status != .active)
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
            id: RecordID.make(), userId: consent.userId, consentId: consent.id, bankId: consent.bankId,
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
