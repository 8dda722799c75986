import DropCore
import Foundation
import SQLKit

/// A business registered to take QR payments, as stored.
public struct MerchantRecord: Sendable, Equatable {
    public var id: String
    public var userId: String
    public var code: String
    public var organisationNumber: String
    public var name: String
    public var mcc: String
    public var city: String
    /// The 11-digit Norwegian account number payments go to.
    public var settlementAccount: String
    public var verified: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// The owner's linked bank account that proved the settlement account theirs; nil for
    /// businesses registered before that was asked.
    public var settlementBankAccountId: String?
    /// Where the owner stands now, read from their user row with the merchant (not a column of
    /// `merchants`): `verified` is only what was true at registration.
    public var owner: MerchantOwnerStanding
    /// When the business was closed: its owner erased their account, or compliance closed it.
    public var closedAt: Date?

    public init(id: String, userId: String, code: String, organisationNumber: String, name: String, mcc: String, city: String,
                settlementAccount: String, verified: Bool, createdAt: Date, updatedAt: Date, settlementBankAccountId: String? = nil,
                owner: MerchantOwnerStanding, closedAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.code = code
        self.organisationNumber = organisationNumber
        self.name = name
        self.mcc = mcc
        self.city = city
        self.settlementAccount = settlementAccount
        self.verified = verified
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.settlementBankAccountId = settlementBankAccountId
        self.owner = owner
        self.closedAt = closedAt
    }

    /// Whether a payment to it may be made now: open, and its owner may be paid (`MerchantOwnerStanding`).
    public var takesPayments: Bool { closedAt == nil && owner.takesPayments }
}

/// One status change of a payment to a merchant (or a reversal the bank reported), numbered in
/// that merchant's own sequence.
public struct MerchantEventRecord: Sendable, Equatable {
    public let seq: Int64
    public let kind: MerchantEventKind
    public let transactionId: String
    public let status: TransferStatus
    public let at: Date
    public let amountMinor: Int64
    public let currency: String
    /// The order reference the merchant's signature fixed.
    public let reference: String?
    /// What a payer typed on a static code: theirs, not an order reference.
    public let payerMessage: String?
    /// When the payment was made: the day a dashboard counts it under, whenever the event came.
    public let createdAt: Date
}

/// Reads and writes `merchants` and their event sequence (`merchant_events`).
public enum MerchantRepository {
    static let columns = "id, user_id, code, organisation_number, name, mcc, city, settlement_account, verified, created_at, updated_at, settlement_bank_account_id"
    /// The merchant with its owner's standing, from the same statement, ready for a `WHERE`.
    static let withOwner = """
        m.id, m.user_id, m.code, m.organisation_number, m.name, m.mcc, m.city, m.settlement_account, m.verified, m.created_at,
        m.updated_at, m.settlement_bank_account_id, m.closed_at, u.kyc_status AS owner_kyc_status, u.is_sanctioned AS owner_is_sanctioned,
        u.deleted_at AS owner_deleted_at
        FROM merchants m JOIN users u ON u.id = m.user_id
        """

    public static func insert(_ merchant: MerchantRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO merchants (\(unsafeRaw: columns))
            VALUES (\(bind: merchant.id), \(bind: merchant.userId), \(bind: merchant.code), \(bind: merchant.organisationNumber),
                    \(bind: merchant.name), \(bind: merchant.mcc), \(bind: merchant.city), \(bind: merchant.settlementAccount),
                    \(bind: merchant.verified), \(bind: merchant.createdAt), \(bind: merchant.updatedAt), \(bind: merchant.settlementBankAccountId))
            """).run()
    }

    /// The user's merchant (Drop registers one business per user).
    public static func find(userId: String, on db: any SQLDatabase) async throws -> MerchantRecord? {
        try await db.raw("SELECT \(unsafeRaw: withOwner) WHERE m.user_id = \(bind: userId) ORDER BY m.created_at LIMIT 1").first().map(record)
    }

    /// The merchant behind a public code; none once its owner erased their account (nobody could
    /// see or answer for what is paid to it). One whose owner may no longer take payments is
    /// found, with `takesPayments` false, so it can be shown as unavailable.
    public static func find(code: String, on db: any SQLDatabase) async throws -> MerchantRecord? {
        try await db.raw("SELECT \(unsafeRaw: withOwner) WHERE m.code = \(bind: code) AND u.deleted_at IS NULL").first().map(record)
    }

    /// A merchant by id, whatever became of its owner (a payment already made to it is followed to
    /// its end); `takesPayments` says whether a new one may be asked of a bank.
    public static func find(id: String, on db: any SQLDatabase) async throws -> MerchantRecord? {
        try await db.raw("SELECT \(unsafeRaw: withOwner) WHERE m.id = \(bind: id)").first().map(record)
    }

    /// The business as it stands now, its owner's row and then its own shared until the caller's DB
    /// transaction ends (PostgreSQL; the order an erasure writes them in): a verdict on the owner or a
    /// closure either committed before and is read here (a row locked after a wait is read as it was
    /// committed), or waits for the caller's commit.
    public static func findShared(id: String, on db: any SQLDatabase) async throws -> MerchantRecord? {
        _ = try await db.raw("""
            SELECT u.id FROM users u WHERE u.id = (SELECT m.user_id FROM merchants m WHERE m.id = \(bind: id))\(unsafeRaw: db.rowShareClause)
            """).first()
        let shared = db.dialect.name == "postgresql" ? " FOR SHARE OF m" : ""
        return try await db.raw("SELECT \(unsafeRaw: withOwner) WHERE m.id = \(bind: id)\(unsafeRaw: shared)").first().map(record)
    }

    /// The open business (`closed_at` unset) another user registered under `organisationNumber`, if any.
    public static func openHolder(organisationNumber: String, otherThan userId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT id FROM merchants WHERE organisation_number = \(bind: organisationNumber) AND closed_at IS NULL AND user_id <> \(bind: userId)
            """).first()?.decode(column: "id", as: String.self)
    }

    /// Closes an open business for good (compliance's decision, `by` an officer, `reason` in their words):
    /// no new payment to it, and its organisation number free. False when there is no such open business.
    public static func close(id: String, by officerId: String, reason: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE merchants SET closed_at = \(bind: now), closed_by = \(bind: officerId), closure_reason = \(bind: reason), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND closed_at IS NULL RETURNING id
            """).first() != nil
    }

    public static func codeExists(_ code: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM merchants WHERE code = \(bind: code)").first() != nil
    }

    private static func record(_ row: any SQLRow) throws -> MerchantRecord {
        MerchantRecord(
            id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            code: try row.decode(column: "code", as: String.self), organisationNumber: try row.decode(column: "organisation_number", as: String.self),
            name: try row.decode(column: "name", as: String.self), mcc: try row.decode(column: "mcc", as: String.self),
            city: try row.decode(column: "city", as: String.self), settlementAccount: try row.decode(column: "settlement_account", as: String.self),
            verified: try row.decode(column: "verified", as: Bool.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self),
            settlementBankAccountId: try row.decode(column: "settlement_bank_account_id", as: String?.self),
            owner: MerchantOwnerStanding(kycStatus: try row.decode(column: "owner_kyc_status", caseOf: KYCStatus.self),
                                         isSanctioned: try row.decode(column: "owner_is_sanctioned", as: Bool.self),
                                         erased: try row.decode(column: "owner_deleted_at", as: Date?.self) != nil),
            closedAt: try row.decode(column: "closed_at", as: Date?.self))
    }

    /// Appends an event on the caller's DB transaction. Taking the number locks the merchant row
    /// until commit, so a reader polling `seq > last` never sees a later number before an earlier one.
    public static func recordEvent(merchantId: String, transactionId: String, status: String, kind: MerchantEventKind = .payment, at date: Date,
                                   on db: any SQLDatabase) async throws {
        guard let row = try await db.raw("""
            UPDATE merchants SET event_seq = event_seq + 1 WHERE id = \(bind: merchantId) RETURNING event_seq
            """).first() else { return }
        let seq = try row.decode(column: "event_seq", as: Int64.self)
        try await db.runBatched("""
            INSERT INTO merchant_events (merchant_id, seq, transaction_id, status, kind, at)
            VALUES (\(bind: merchantId), \(bind: seq), \(bind: transactionId), \(bind: status), \(bind: kind.rawValue), \(bind: date))
            """)
    }

    /// Events after `seq`, oldest first. One of a kind or status this build doesn't know (a newer build wrote it
    /// during a rolling deploy) is left out: read as an error, it would stop every stream of the shop at it.
    public static func events(merchantId: String, after seq: Int64, limit: Int, on db: any SQLDatabase) async throws -> [MerchantEventRecord] {
        try await db.raw("""
            SELECT e.seq, e.kind, e.transaction_id, e.status, e.at, t.amount_minor, t.currency, t.reference, t.message, t.created_at
            FROM merchant_events e JOIN transactions t ON t.id = e.transaction_id
            WHERE e.merchant_id = \(bind: merchantId) AND e.seq > \(bind: seq) ORDER BY e.seq LIMIT \(bind: limit)
            """).all().compactMap { row in
                guard let kind = MerchantEventKind(rawValue: try row.decode(column: "kind", as: String.self)),
                      let status = TransferStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
                return MerchantEventRecord(seq: try row.decode(column: "seq", as: Int64.self), kind: kind,
                                           transactionId: try row.decode(column: "transaction_id", as: String.self),
                                           status: status, at: try row.decode(column: "at", as: Date.self),
                                           amountMinor: try row.decode(column: "amount_minor", as: Int64.self),
                                           currency: try row.decode(column: "currency", as: String.self),
                                           reference: try row.decode(column: "reference", as: String?.self),
                                           payerMessage: try row.decode(column: "message", as: String?.self),
                                           createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }

    /// The newest number handed out: where a fresh stream starts.
    public static func lastEventSeq(merchantId: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT event_seq FROM merchants WHERE id = \(bind: merchantId)").first()?.decode(column: "event_seq", as: Int64.self) ?? 0
    }
}
