import DropCore
import Foundation
import SQLKit

/// An account at the user's bank that Drop may read (AIS) and pay from (PIS), with the last
/// balance the bank told us.
public struct BankAccountRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var consentId: String
    public var bankId: String
    public var providerAccountId: String
    public var iban: String?
    public var bban: String?
    public var bic: String?
    public var name: String?
    public var currency: String
    public var balanceMinor: Int64?
    public var balanceSyncedAt: Date?
    /// `active`, or `reconnect` when the consent behind it expired or was revoked.
    public var status: BankAccountStatus
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, userId: String, consentId: String, bankId: String, providerAccountId: String, iban: String?, bban: String?,
                bic: String?, name: String?, currency: String, balanceMinor: Int64?, balanceSyncedAt: Date?, status: BankAccountStatus,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.userId = userId
        self.consentId = consentId
        self.bankId = bankId
        self.providerAccountId = providerAccountId
        self.iban = iban
        self.bban = bban
        self.bic = bic
        self.name = name
        self.currency = currency
        self.balanceMinor = balanceMinor
        self.balanceSyncedAt = balanceSyncedAt
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension BankAccountRecord {
    /// Read column by column: `/v1/balance` reads these rows on every request, and SQLKit's
    /// `Decodable` path for a whole row (a key strategy per column) cost more than the query
    /// (bench/README.md#profiling).
    init(row: some SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            consentId: try row.decode(column: "consent_id", as: String.self), bankId: try row.decode(column: "bank_id", as: String.self),
            providerAccountId: try row.decode(column: "provider_account_id", as: String.self),
            iban: try row.decode(column: "iban", as: String?.self), bban: try row.decode(column: "bban", as: String?.self),
            bic: try row.decode(column: "bic", as: String?.self), name: try row.decode(column: "name", as: String?.self),
            currency: try row.decode(column: "currency", as: String.self), balanceMinor: try row.decode(column: "balance_minor", as: Int64?.self),
            balanceSyncedAt: try row.decode(column: "balance_synced_at", as: Date?.self), status: try row.decode(column: "status", caseOf: BankAccountStatus.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}

public enum BankAccountRepository {
    static let columns = """
        id, user_id, consent_id, bank_id, provider_account_id, iban, bban, bic, name, currency, balance_minor, balance_synced_at,
        status, created_at, updated_at
        """

    /// Adds the account, or refreshes it when the same bank account was linked before (a
    /// reconnect brings it back under the new consent, keeping its id). An account the user
    /// removed stays removed while the consent it was removed under is the one listing it: the
    /// bank lists every account of a consent at each balance refresh, and only a new link (a new
    /// consent) brings it back. Answers nil then, and changes nothing.
    @discardableResult
    public static func upsert(_ account: BankAccountRecord, on db: any SQLDatabase) async throws -> BankAccountRecord? {
        let row = try await db.raw("""
            SELECT \(unsafeRaw: columns), deleted_at FROM bank_accounts
            WHERE user_id = \(bind: account.userId) AND bank_id = \(bind: account.bankId) AND provider_account_id = \(bind: account.providerAccountId)
            ORDER BY created_at LIMIT 1
            """).first()
        let existing = try row.map { try BankAccountRecord(row: $0) }
        if let existing, try row?.decode(column: "deleted_at", as: Date?.self) != nil, existing.consentId == account.consentId {
            return nil
        }
        guard var existing else {
            try await db.raw("""
                INSERT INTO bank_accounts (id, user_id, consent_id, bank_id, provider_account_id, iban, bban, bic, name, currency,
                                           balance_minor, balance_synced_at, status, created_at, updated_at)
                VALUES (\(bind: account.id), \(bind: account.userId), \(bind: account.consentId), \(bind: account.bankId),
                        \(bind: account.providerAccountId), \(bind: account.iban), \(bind: account.bban), \(bind: account.bic),
                        \(bind: account.name), \(bind: account.currency), \(bind: account.balanceMinor), \(bind: account.balanceSyncedAt),
                        \(bind: account.status.rawValue), \(bind: account.createdAt), \(bind: account.updatedAt))
                """).run()
            return account
        }
        existing.consentId = account.consentId
        existing.iban = account.iban
        existing.bban = account.bban
        existing.bic = account.bic
        existing.name = account.name
        existing.currency = account.currency
        existing.balanceMinor = account.balanceMinor
        existing.balanceSyncedAt = account.balanceSyncedAt
        existing.status = account.status
        existing.updatedAt = account.updatedAt
        try await db.raw("""
            UPDATE bank_accounts SET consent_id = \(bind: existing.consentId), iban = \(bind: existing.iban), bban = \(bind: existing.bban),
                bic = \(bind: existing.bic), name = \(bind: existing.name), currency = \(bind: existing.currency),
                balance_minor = \(bind: existing.balanceMinor), balance_synced_at = \(bind: existing.balanceSyncedAt),
                status = \(bind: existing.status.rawValue), updated_at = \(bind: existing.updatedAt), deleted_at = NULL
            WHERE id = \(bind: existing.id)
            """).run()
        return existing
    }

    /// The user's accounts that are not removed, oldest first.
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [BankAccountRecord] {
        try AllOfUser.values(from: try await db.rows(AllOfUser.alone(userId)))[userId]?.value ?? []
    }

    /// The same, read with the accounts other requests ask for meanwhile (`Database.batched`).
    public static func all(userId: String, in database: Database) async throws -> [BankAccountRecord] {
        try await allNumbered(userId: userId, in: database)?.value ?? []
    }

    /// The same with the customer's `BalanceVersion` from the same statement; nil when they have no
    /// account, as no row then carries the number.
    public static func allNumbered(userId: String, in database: Database) async throws -> Numbered<[BankAccountRecord]>? {
        try await database.batched(AllOfUser.self, key: userId)
    }

    /// What a balance is read from when it isn't in memory (a customer's first visit, or their
    /// first after a change): prepared on PostgreSQL, so a crowd's first visits plan it once per
    /// connection. Each row carries its customer's number, read in the same snapshot as the rows.
    struct AllOfUser: BatchedColumnRead {
        static func sql(isKey: String) -> String {
            """
            SELECT \(columns),
                   COALESCE((SELECT v.version FROM \(BalanceVersion.name) v WHERE v.user_id = bank_accounts.user_id), 0) AS balance_version
            FROM bank_accounts WHERE user_id \(isKey) AND deleted_at IS NULL ORDER BY created_at, id
            """
        }

        /// Each customer's accounts in the statement's order, under their number.
        static func values(from rows: [any SQLRow]) throws -> [String: Numbered<[BankAccountRecord]>] {
            try Numbered.grouped(rows, numberColumn: "balance_version", key: { try $0.decode(column: "user_id", as: String.self) },
                                 element: { try BankAccountRecord(row: $0) })
        }

        let keys: [String]
    }

    /// The user's account, or nil when it is someone else's or removed.
    public static func find(id: String, userId: String, on db: any SQLDatabase) async throws -> BankAccountRecord? {
        try await db.rows(FindOfUser(id: id, userId: userId)).first.map { try BankAccountRecord(row: $0) }
    }

    /// Every transfer and QR payment reads the account it pays from: prepared on PostgreSQL.
    struct FindOfUser: PreparedRead {
        static let sql = "SELECT \(columns) FROM bank_accounts WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL"
        let id: String
        let userId: String
        var parameters: [String] { [id, userId] }
    }

    /// The bank an account is held at, even if the user removed it since (a payment made from it
    /// is still followed with that bank).
    public static func bankId(ofAccount id: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT bank_id FROM bank_accounts WHERE id = \(bind: id)").first()?.decode(column: "bank_id", as: String.self)
    }

    /// The accounts (not removed) a consent covers.
    public static func all(consentId: String, on db: any SQLDatabase) async throws -> [BankAccountRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM bank_accounts WHERE consent_id = \(bind: consentId) AND deleted_at IS NULL ORDER BY created_at, id
            """).all().map { try BankAccountRecord(row: $0) }
    }

    public static func recordBalance(id: String, minor: Int64, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE bank_accounts SET balance_minor = \(bind: minor), balance_synced_at = \(bind: date), updated_at = \(bind: date) WHERE id = \(bind: id)
            """).run()
    }

    public static func setStatus(consentId: String, to status: BankAccountStatus, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE bank_accounts SET status = \(bind: status.rawValue), updated_at = \(bind: date) WHERE consent_id = \(bind: consentId) AND deleted_at IS NULL
            """).run()
    }

    /// Removes the account from Drop; past transfers keep referring to it.
    public static func remove(id: String, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE bank_accounts SET deleted_at = \(bind: date), updated_at = \(bind: date) WHERE id = \(bind: id)").run()
    }
}
