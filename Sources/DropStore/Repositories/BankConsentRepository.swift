import DropCore
import Foundation
import SQLKit

/// A NextGenPSD2 AIS consent a user gave Drop at one bank.
public struct BankConsentRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var bankId: String
    public var providerConsentId: String
    /// `revoked` is by the user at the bank or through Drop; `terminated`, the user removed the last account.
    public var status: BankConsentStatus
    public var validUntil: String?
    public var frequencyPerDay: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, userId: String, bankId: String, providerConsentId: String, status: BankConsentStatus,
                validUntil: String?, frequencyPerDay: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.userId = userId
        self.bankId = bankId
        self.providerConsentId = providerConsentId
        self.status = status
        self.validUntil = validUntil
        self.frequencyPerDay = frequencyPerDay
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum BankConsentRepository {
    static let columns = "id, user_id, bank_id, provider_consent_id, status, valid_until, frequency_per_day, created_at, updated_at"

    public static func insert(_ consent: BankConsentRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO bank_consents (id, user_id, bank_id, provider_consent_id, status, valid_until, frequency_per_day, created_at, updated_at)
            VALUES (\(bind: consent.id), \(bind: consent.userId), \(bind: consent.bankId), \(bind: consent.providerConsentId),
                    \(bind: consent.status.rawValue), \(bind: consent.validUntil), \(bind: consent.frequencyPerDay),
                    \(bind: consent.createdAt), \(bind: consent.updatedAt))
            """).run()
    }

    /// Locks the consent's row until the transaction ends (PostgreSQL; SQLite's writes queue anyway): the
    /// removals of its accounts are made one after the other, so the last one knows it is the last.
    public static func lock(id: String, on db: any SQLDatabase) async throws {
        _ = try await db.raw("SELECT id FROM bank_consents WHERE id = \(bind: id)\(unsafeRaw: db.rowLockClause)").first()
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> BankConsentRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM bank_consents WHERE id = \(bind: id)").first()
            .map { try $0.decode(model: BankConsentRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Moves the consent from one of `from` to `to`; false when it was not in any of them (a
    /// concurrent callback got there first).
    @discardableResult
    public static func transition(id: String, from: [BankConsentStatus], to status: BankConsentStatus, at date: Date, on db: any SQLDatabase) async throws -> Bool {
        let list = SQLList(from.map { SQLBind($0.rawValue) })
        return try await db.raw("""
            UPDATE bank_consents SET status = \(bind: status.rawValue), updated_at = \(bind: date), last_action_at = \(bind: date)
            WHERE id = \(bind: id) AND status IN (\(list)) RETURNING id
            """).first() != nil
    }
}

extension BankConsentRepository {
    /// Records a successful use of the consent.
    public static func touch(id: String, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE bank_consents SET last_action_at = \(bind: date), updated_at = \(bind: date) WHERE id = \(bind: id)").run()
    }
}

extension BankConsentRepository {
    /// Every consent the user ever gave, newest first.
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [BankConsentRecord] {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM bank_consents WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id DESC")
            .all().map { try $0.decode(model: BankConsentRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// The valid consents with a linked account whose balance was not read since `cutoff` (or never).
    public static func withStaleBalances(syncedBefore cutoff: Date, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT DISTINCT c.id FROM bank_consents c JOIN bank_accounts a ON a.consent_id = c.id
            WHERE c.status = 'valid' AND a.deleted_at IS NULL AND (a.balance_synced_at IS NULL OR a.balance_synced_at < \(bind: cutoff))
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }
}
