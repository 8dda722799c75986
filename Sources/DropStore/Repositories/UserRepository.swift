import DropCore
import Foundation
import SQLKit

/// A Drop customer as stored. The national identity number is never here: only its keyed hash.
public struct UserRecord: Codable, Sendable, Equatable {
    public var id: String
    public var pidHash: String
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var birthdate: String?
    public var phone: String?
    public var email: String?
    /// When the person confirmed `email` by its link; nil while unconfirmed (Drop mails only confirmed addresses).
    public var emailVerifiedAt: Date?
    public var role: UserRole
    public var kycStatus: KYCStatus
    public var kycApplicantId: String?
    public var riskLevel: CustomerRiskLevel
    public var isPep: Bool
    public var isSanctioned: Bool
    public var locale: String
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(id: String, pidHash: String, name: String?, givenName: String?, familyName: String?, birthdate: String?,
                phone: String?, email: String?, role: UserRole, kycStatus: KYCStatus, kycApplicantId: String?, riskLevel: CustomerRiskLevel,
                isPep: Bool, isSanctioned: Bool, locale: String, createdAt: Date, updatedAt: Date, deletedAt: Date?, emailVerifiedAt: Date? = nil) {
        self.id = id
        self.pidHash = pidHash
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.birthdate = birthdate
        self.phone = phone
        self.email = email
        self.emailVerifiedAt = emailVerifiedAt
        self.role = role
        self.kycStatus = kycStatus
        self.kycApplicantId = kycApplicantId
        self.riskLevel = riskLevel
        self.isPep = isPep
        self.isSanctioned = isSanctioned
        self.locale = locale
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}

extension UserRecord {
    /// Read column by column: every signed-in request reads its user, and SQLKit's `Decodable`
    /// path for a whole row was 12 % of `/v1/me` (bench/README.md#profiling).
    init(row: some SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self), pidHash: try row.decode(column: "pid_hash", as: String.self),
            name: try row.decode(column: "name", as: String?.self), givenName: try row.decode(column: "given_name", as: String?.self),
            familyName: try row.decode(column: "family_name", as: String?.self), birthdate: try row.decode(column: "birthdate", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self), email: try row.decode(column: "email", as: String?.self),
            role: try row.decode(column: "role", caseOf: UserRole.self), kycStatus: try row.decode(column: "kyc_status", caseOf: KYCStatus.self),
            kycApplicantId: try row.decode(column: "kyc_applicant_id", as: String?.self),
            riskLevel: try row.decode(column: "risk_level", caseOf: CustomerRiskLevel.self),
            isPep: try row.decode(column: "is_pep", as: Bool.self), isSanctioned: try row.decode(column: "is_sanctioned", as: Bool.self),
            locale: try row.decode(column: "locale", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self), deletedAt: try row.decode(column: "deleted_at", as: Date?.self),
            emailVerifiedAt: try row.decode(column: "email_verified_at", as: Date?.self))
    }
}

/// Reads and writes `users`. Every function takes the `db` to run on, so callers decide
/// whether it is part of a transaction.
public enum UserRepository {
    static let columns = """
        id, pid_hash, name, given_name, family_name, birthdate, phone, email, role, kyc_status, kyc_applicant_id,
        risk_level, is_pep, is_sanctioned, locale, created_at, updated_at, deleted_at, email_verified_at
        """

    /// `columns`, each named as `table`'s (an alias in a join).
    static func columns(of table: String) -> String {
        columns.split(separator: ",").map { "\(table).\($0.trimmingCharacters(in: .whitespacesAndNewlines))" }.joined(separator: ", ")
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> UserRecord? {
        try FindActive.values(from: try await db.rows(FindActive.alone(id)))[id]
    }

    /// The same, read with the customers other requests ask for meanwhile (`Database.batched`).
    public static func find(id: String, in database: Database) async throws -> UserRecord? {
        try await database.batched(FindActive.self, key: id)
    }

    /// `/v1/me` and every check of who is asking read it: prepared on PostgreSQL.
    struct FindActive: BatchedColumnRead {
        static func sql(isKey: String) -> String { "SELECT \(columns) FROM users WHERE id \(isKey) AND deleted_at IS NULL" }

        static func values(from rows: [any SQLRow]) throws -> [String: UserRecord] {
            var users: [String: UserRecord] = [:]
            for row in rows {
                let user = try UserRecord(row: row)
                users[user.id] = user
            }
            return users
        }

        let keys: [String]
    }

    /// The active customer with this pid hash (erased customers are not returned).
    public static func find(pidHash: String, on db: any SQLDatabase) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM users WHERE pid_hash = \(bind: pidHash) AND deleted_at IS NULL").first()
            .map { try UserRecord(row: $0) }
    }

    /// What the records kept of the person's erased accounts say of them (`ComplianceStanding`): rows
    /// blanked by erasure but kept for AML until their retention ends.
    public static func erasedStandings(pidHash: String, on db: any SQLDatabase) async throws -> [ComplianceStanding] {
        try await db.raw("""
            SELECT kyc_status, is_pep, is_sanctioned, risk_level FROM users WHERE pid_hash = \(bind: pidHash) AND deleted_at IS NOT NULL
            """).all().map {
                ComplianceStanding(kycStatus: try $0.decode(column: "kyc_status", caseOf: KYCStatus.self), isPEP: try $0.decode(column: "is_pep", as: Bool.self),
                                   isSanctioned: try $0.decode(column: "is_sanctioned", as: Bool.self),
                                   riskLevel: try $0.decode(column: "risk_level", caseOf: CustomerRiskLevel.self))
            }
    }

    /// The ids of every account the customer `userId` is, or was before erasing it (one person, one
    /// pid hash): what limits and AML screening count a person's payments over.
    static func samePerson(as userId: String) -> SQLQueryString {
        "(SELECT p.id FROM users p WHERE p.pid_hash = (SELECT u.pid_hash FROM users u WHERE u.id = \(bind: userId)))"
    }

    /// The customer an identity check belongs to, their row locked until the transaction ends (PostgreSQL;
    /// SQLite's writes queue one at a time anyway): two of Sumsub's webhooks about them are applied one
    /// after the other, each judging staleness from what the other wrote.
    /// Locks the customer's row for a decision that rests on what else they have ("no open request of this
    /// kind yet"): a second such decision for them waits for the first's commit (`db.rowLockClause`).
    public static func lock(id: String, on db: any SQLDatabase) async throws {
        _ = try await db.raw("SELECT id FROM users WHERE id = \(bind: id)\(unsafeRaw: db.rowLockClause)").first()
    }

    /// The customer as they stand now, their row locked until the caller's DB transaction ends (PostgreSQL;
    /// SQLite's single writer orders the rest): a payment being written reads a verdict committed while it
    /// waited (a row locked after a wait is read as it was committed), and a verdict under way afterwards
    /// waits for the payment's commit. Nil when they are gone or erased.
    public static func lockForPayment(id: String, on db: any SQLDatabase) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM users WHERE id = \(bind: id)\(unsafeRaw: db.rowLockClause)").first()
            .map { try UserRecord(row: $0) }.flatMap { $0.deletedAt == nil ? $0 : nil }
    }

    public static func lockForVerdict(kycApplicantId: String, on db: any SQLDatabase) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM users WHERE kyc_applicant_id = \(bind: kycApplicantId)\(unsafeRaw: db.rowLockClause)").first()
            .map { try UserRecord(row: $0) }
    }

    public static func find(kycApplicantId: String, on db: any SQLDatabase) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM users WHERE kyc_applicant_id = \(bind: kycApplicantId)").first()
            .map { try UserRecord(row: $0) }
    }

    public static func insert(_ user: UserRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO users (id, pid_hash, name, given_name, family_name, birthdate, phone, email, role, kyc_status,
                               kyc_applicant_id, risk_level, is_pep, is_sanctioned, locale, created_at, updated_at, deleted_at)
            VALUES (\(bind: user.id), \(bind: user.pidHash), \(bind: user.name), \(bind: user.givenName), \(bind: user.familyName),
                    \(bind: user.birthdate), \(bind: user.phone), \(bind: user.email), \(bind: user.role.rawValue), \(bind: user.kycStatus.rawValue),
                    \(bind: user.kycApplicantId), \(bind: user.riskLevel.rawValue), \(bind: user.isPep), \(bind: user.isSanctioned),
                    \(bind: user.locale), \(bind: user.createdAt), \(bind: user.updatedAt), \(bind: user.deletedAt))
            """).run()
    }

    // Each writer sets only the columns it owns. A whole record written back would carry whatever it
    // read: a profile edit racing a Sumsub verdict (or an admin's revoke) would put the old KYC status,
    // sanctions flag or role back.

    /// What the customer edits on their profile. A changed email address is unconfirmed again; the
    /// confirmation itself is `confirmEmail` (so a stale copy of the record can't confirm or unconfirm).
    public static func updateContact(userId: String, phone: String?, email: String?, locale: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET phone = \(bind: phone),
                email_verified_at = CASE WHEN email IS NOT DISTINCT FROM \(bind: email) THEN email_verified_at ELSE NULL END,
                email = \(bind: email), locale = \(bind: locale), updated_at = \(bind: now)
            WHERE id = \(bind: userId)
            """).run()
    }

    /// What BankID says of the person at each sign-in.
    public static func updateIdentity(userId: String, name: String?, givenName: String?, familyName: String?, birthdate: String?, at now: Date,
                                      on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET name = \(bind: name), given_name = \(bind: givenName), family_name = \(bind: familyName), birthdate = \(bind: birthdate),
                updated_at = \(bind: now)
            WHERE id = \(bind: userId)
            """).run()
    }

    /// Gives the customer `role`, when `from` is the one they have (nil: whatever it is); a change
    /// reaches every process's session cache (`SessionChanges`). - Returns: whether it changed.
    @discardableResult
    public static func setRole(userId: String, to role: UserRole, from current: UserRole? = nil, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        let onlyFrom: SQLQueryString = if let current { "AND role = \(bind: current.rawValue)" } else { "" }
        let changed = try await db.raw("""
            UPDATE users SET role = \(bind: role.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: userId) AND role <> \(bind: role.rawValue) \(onlyFrom)
            RETURNING id
            """).first() != nil
        if changed { try await SessionChanges.changed(userId: userId, on: db) }
        return changed
    }

    /// Marks `email` confirmed, if it is still the customer's address. - Returns: false when the
    /// address has changed since the link was sent (or the customer is gone).
    public static func confirmEmail(userId: String, email: String, at date: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE users SET email_verified_at = COALESCE(email_verified_at, \(bind: date)), updated_at = \(bind: date)
            WHERE id = \(bind: userId) AND email = \(bind: email) AND deleted_at IS NULL
            RETURNING id
            """).first() != nil
    }

    /// Stores the sealed national identity number (`PidCipher`); never the number itself.
    public static func setSealedPid(userId: String, sealed: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET pid_encrypted = \(bind: sealed) WHERE id = \(bind: userId) AND deleted_at IS NULL").run()
    }

    /// Moves every row of one person, active and erased, from the hash under the previous pepper to the
    /// current one (ADR 0034): limits and AML count a person's accounts by one shared hash, so they move together.
    /// Moving twice is harmless (the second finds nothing under the old hash).
    public static func movePidHash(from previous: String, to current: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET pid_hash = \(bind: current) WHERE pid_hash = \(bind: previous)").run()
    }

    /// Customers whose sealed number doesn't start with `prefix` (`SealedIdentity.prefix`): sealed under the previous
    /// key or with a hash under the previous pepper, or from before values named them. Erased ones too: AML keeps their
    /// sealed number (ADR 0027), and it is what re-hashes a person who has no active account. By id, after `after`.
    public static func sealedPidsNotUnder(prefix: String, after: String?, limit: Int,
                                          on db: any SQLDatabase) async throws -> [(id: String, pidHash: String, sealed: String)] {
        try await db.raw("""
            SELECT id, pid_hash, pid_encrypted FROM users
            WHERE pid_encrypted IS NOT NULL
              AND substr(pid_encrypted, 1, CAST(\(bind: prefix.count) AS INTEGER)) <> \(bind: prefix) AND id > \(bind: after ?? "")
            ORDER BY id LIMIT \(bind: limit)
            """).all().map {
                (try $0.decode(column: "id", as: String.self), try $0.decode(column: "pid_hash", as: String.self),
                 try $0.decode(column: "pid_encrypted", as: String.self))
            }
    }

    /// Replaces the sealed number only if it is still `previous`: a sign-in or another worker that
    /// re-sealed it since wins, and this reports false.
    public static func resealPid(userId: String, from previous: String, to current: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE users SET pid_encrypted = \(bind: current)
            WHERE id = \(bind: userId) AND pid_encrypted = \(bind: previous) RETURNING id
            """).first() != nil
    }

    /// How many rows a rotation can't reach by itself: active customers with no sealed number, and erased ones
    /// (whose number was blanked). Under the previous pepper they move when the person signs in again.
    public static func rowsWithoutSealedPid(on db: any SQLDatabase) async throws -> (active: Int, erased: Int) {
        let row = try await db.raw("""
            SELECT SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END) AS active,
                   SUM(CASE WHEN deleted_at IS NOT NULL THEN 1 ELSE 0 END) AS erased
            FROM users WHERE pid_encrypted IS NULL
            """).first()
        return (try row?.decode(column: "active", as: Int?.self) ?? 0, try row?.decode(column: "erased", as: Int?.self) ?? 0)
    }

    /// Which of the two ids a sealed number names (`SealedIdentity`).
    public enum SealedPidPart: Sendable { case key, pepper }

    /// One key id (`part: .key`) or pepper id (`.pepper`) named by a sealed number, active or erased, that is
    /// neither of `known` (ADR 0034): a row Drop can no longer open or whose hash it can no longer find. Nil when
    /// every named one is known. `idLength`: the length of an id (`<key id>.<pepper id>.<box>`). Values from
    /// before they named their keys (no dot after the key id) can't tell and aren't counted. One pass over
    /// `users` that stops at the first found; read once at start.
    public static func sealedPidNamingUnknown(_ part: SealedPidPart, known: [String], idLength: Int,
                                              on db: any SQLDatabase) async throws -> String? {
        let start = part == .key ? 1 : idLength + 2
        let first = known.first ?? ""
        let second = known.dropFirst().first ?? first
        return try await db.raw("""
            SELECT substr(pid_encrypted, CAST(\(bind: start) AS INTEGER), CAST(\(bind: idLength) AS INTEGER)) AS named FROM users
            WHERE pid_encrypted IS NOT NULL AND substr(pid_encrypted, CAST(\(bind: idLength + 1) AS INTEGER), 1) = '.'
              AND substr(pid_encrypted, CAST(\(bind: start) AS INTEGER), CAST(\(bind: idLength) AS INTEGER)) NOT IN (\(bind: first), \(bind: second))
            LIMIT 1
            """).first()?.decode(column: "named", as: String.self)
    }

    /// How many sealed numbers, active and erased, name each `<key id>.<pepper id>` (ADR 0034); values from before
    /// they named their keys are counted under "". For `drop identity-keys status`: no number is read.
    public static func sealedPidsByKeys(idLength: Int, on db: any SQLDatabase) async throws -> [String: Int] {
        let rows = try await db.raw("""
            SELECT CASE WHEN substr(pid_encrypted, CAST(\(bind: idLength + 1) AS INTEGER), 1) = '.'
                        THEN substr(pid_encrypted, 1, CAST(\(bind: 2 * idLength + 1) AS INTEGER)) ELSE '' END AS named,
                   COUNT(*) AS n
            FROM users WHERE pid_encrypted IS NOT NULL GROUP BY 1
            """).all()
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode(column: "named", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self) }
        return counts
    }

    /// The sealed number, nil for a customer who hasn't signed in since it was first kept (or was erased).
    public static func sealedPid(userId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT pid_encrypted FROM users WHERE id = \(bind: userId) AND deleted_at IS NULL").first()?
            .decode(column: "pid_encrypted", as: String?.self)
    }

    public static func exists(id: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM users WHERE id = \(bind: id)").first() != nil
    }

    /// Every user ever stored, erased ones included.
    public static func count(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Gives a plain user the merchant role; false for anyone else (admins keep theirs: it includes the merchant's routes).
    public static func promoteToMerchant(userId: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE users SET role = 'merchant', updated_at = \(bind: now) WHERE id = \(bind: userId) AND role = 'user' RETURNING id
            """).first() != nil
    }
}
