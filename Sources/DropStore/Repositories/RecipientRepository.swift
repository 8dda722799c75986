import Foundation
import SQLKit

/// Someone a customer sends money to, as stored. Soft-deleted rows stay, because past transfers
/// point at them; every read here skips them.
public struct RecipientRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var name: String
    public var country: String
    public var currency: String
    public var iban: String?
    public var accountNumber: String?
    public var bic: String?
    public var ifsc: String?
    public var routingNumber: String?
    public var bankName: String?
    public var addressStreet: String?
    public var addressPostCode: String?
    public var addressCity: String?
    public var addressCountry: String?
    public var relationship: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
    /// When the name, country, currency or account details last changed after it was added (migration
    /// 20): for AML it is a new payee from then on.
    public var payeeChangedAt: Date?

    public init(id: String, userId: String, name: String, country: String, currency: String, iban: String?,
                accountNumber: String?, bic: String?, ifsc: String?, routingNumber: String?, bankName: String?,
                addressStreet: String?, addressPostCode: String?, addressCity: String?, addressCountry: String?,
                relationship: String?, createdAt: Date, updatedAt: Date, deletedAt: Date? = nil, payeeChangedAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.name = name
        self.country = country
        self.currency = currency
        self.iban = iban
        self.accountNumber = accountNumber
        self.bic = bic
        self.ifsc = ifsc
        self.routingNumber = routingNumber
        self.bankName = bankName
        self.addressStreet = addressStreet
        self.addressPostCode = addressPostCode
        self.addressCity = addressCity
        self.addressCountry = addressCountry
        self.relationship = relationship
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.payeeChangedAt = payeeChangedAt
    }
}

/// Reads and writes `recipients`, always scoped to the owning user.
public enum RecipientRepository {
    static let columns = """
        id, user_id, name, country, currency, iban, account_number, bic, ifsc, routing_number, bank_name,
        address_street, address_post_code, address_city, address_country, relationship, created_at, updated_at, deleted_at, payee_changed_at
        """

    public static func insert(_ recipient: RecipientRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO recipients (\(unsafeRaw: columns))
            VALUES (\(bind: recipient.id), \(bind: recipient.userId), \(bind: recipient.name), \(bind: recipient.country),
                    \(bind: recipient.currency), \(bind: recipient.iban), \(bind: recipient.accountNumber), \(bind: recipient.bic),
                    \(bind: recipient.ifsc), \(bind: recipient.routingNumber), \(bind: recipient.bankName),
                    \(bind: recipient.addressStreet), \(bind: recipient.addressPostCode), \(bind: recipient.addressCity),
                    \(bind: recipient.addressCountry), \(bind: recipient.relationship), \(bind: recipient.createdAt),
                    \(bind: recipient.updatedAt), \(bind: recipient.deletedAt), \(bind: recipient.payeeChangedAt))
            """).run()
    }

    /// The user's recipient `id`, nil when it does not exist, is someone else's or was deleted.
    public static func find(id: String, userId: String, on db: any SQLDatabase) async throws -> RecipientRecord? {
        try await db.rows(FindOfUser(id: id, userId: userId)).first.map(decode)
    }

    /// `find` for a write in the caller's transaction: on PostgreSQL the row stays locked until it
    /// ends, so what the write is judged against (did the payee change?) is what it overwrites.
    /// SQLite's single writer already does that.
    public static func findForUpdate(id: String, userId: String, on db: any SQLDatabase) async throws -> RecipientRecord? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM recipients WHERE id = \(bind: id) AND user_id = \(bind: userId) AND deleted_at IS NULL\(unsafeRaw: db.rowLockClause)
            """).first().map(decode)
    }

    /// Every transfer reads its recipient before it is screened: prepared on PostgreSQL.
    struct FindOfUser: PreparedRead {
        static let sql = "SELECT \(columns) FROM recipients WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL"
        let id: String
        let userId: String
        var parameters: [String] { [id, userId] }
    }

    /// Newest first. `after` is the id of the last recipient of the previous page; the position is
    /// taken from that row in SQL, so timestamps never round-trip through the client.
    public static func list(userId: String, limit: Int, after: String?, on db: any SQLDatabase) async throws -> [RecipientRecord] {
        let rows: [any SQLRow]
        if let after {
            rows = try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM recipients r
                WHERE r.user_id = \(bind: userId) AND r.deleted_at IS NULL
                  AND (r.created_at, r.id) < (SELECT c.created_at, c.id FROM recipients c WHERE c.id = \(bind: after) AND c.user_id = \(bind: userId))
                ORDER BY r.created_at DESC, r.id DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM recipients
                WHERE user_id = \(bind: userId) AND deleted_at IS NULL
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map(decode)
    }

    /// Live recipients of customers not erased, by id, `limit` after the id `after`: for the jobs that
    /// look at every saved recipient in turn (`PayeeWriting`).
    public static func live(after: String?, limit: Int, on db: any SQLDatabase) async throws -> [RecipientRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM recipients
            WHERE deleted_at IS NULL AND id > \(bind: after ?? "")
              AND user_id IN (SELECT u.id FROM users u WHERE u.deleted_at IS NULL)
            ORDER BY id LIMIT \(bind: limit)
            """).all().map(decode)
    }

    /// Writes every editable field of a live recipient; false when there is none to write.
    @discardableResult
    public static func update(_ recipient: RecipientRecord, on db: any SQLDatabase) async throws -> Bool {
        // Every expression of an UPDATE reads the row as it was: the CASE compares the old details with the new
        // (the fields `RecipientRecord.hasSamePayee` compares).
        let payeeChanged: SQLQueryString = """
            name IS DISTINCT FROM \(bind: recipient.name) OR country IS DISTINCT FROM \(bind: recipient.country)
            OR currency IS DISTINCT FROM \(bind: recipient.currency) OR iban IS DISTINCT FROM \(bind: recipient.iban)
            OR account_number IS DISTINCT FROM \(bind: recipient.accountNumber) OR bic IS DISTINCT FROM \(bind: recipient.bic)
            OR ifsc IS DISTINCT FROM \(bind: recipient.ifsc) OR routing_number IS DISTINCT FROM \(bind: recipient.routingNumber)
            """
        return try await db.raw("""
            UPDATE recipients SET payee_changed_at = CASE WHEN \(payeeChanged) THEN \(bind: recipient.updatedAt) ELSE payee_changed_at END,
                name = \(bind: recipient.name), country = \(bind: recipient.country),
                currency = \(bind: recipient.currency), iban = \(bind: recipient.iban), account_number = \(bind: recipient.accountNumber),
                bic = \(bind: recipient.bic), ifsc = \(bind: recipient.ifsc), routing_number = \(bind: recipient.routingNumber),
                bank_name = \(bind: recipient.bankName), address_street = \(bind: recipient.addressStreet),
                address_post_code = \(bind: recipient.addressPostCode), address_city = \(bind: recipient.addressCity),
                address_country = \(bind: recipient.addressCountry), relationship = \(bind: recipient.relationship),
                updated_at = \(bind: recipient.updatedAt)
            WHERE id = \(bind: recipient.id) AND user_id = \(bind: recipient.userId) AND deleted_at IS NULL
            RETURNING id
            """).first() != nil
    }

    /// Marks the recipient deleted; false when it was not the user's or already gone.
    public static func softDelete(id: String, userId: String, at: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE recipients SET deleted_at = \(bind: at), updated_at = \(bind: at)
            WHERE id = \(bind: id) AND user_id = \(bind: userId) AND deleted_at IS NULL
            RETURNING id
            """).first() != nil
    }

    /// Column by column: SQLKit's `Decodable` path converts every column name to camel case and
    /// casts every value (bench/README.md, "Profiling").
    private static func decode(_ row: any SQLRow) throws -> RecipientRecord {
        RecipientRecord(
            id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            name: try row.decode(column: "name", as: String.self), country: try row.decode(column: "country", as: String.self),
            currency: try row.decode(column: "currency", as: String.self), iban: try row.decode(column: "iban", as: String?.self),
            accountNumber: try row.decode(column: "account_number", as: String?.self), bic: try row.decode(column: "bic", as: String?.self),
            ifsc: try row.decode(column: "ifsc", as: String?.self), routingNumber: try row.decode(column: "routing_number", as: String?.self),
            bankName: try row.decode(column: "bank_name", as: String?.self),
            addressStreet: try row.decode(column: "address_street", as: String?.self),
            addressPostCode: try row.decode(column: "address_post_code", as: String?.self),
            addressCity: try row.decode(column: "address_city", as: String?.self),
            addressCountry: try row.decode(column: "address_country", as: String?.self),
            relationship: try row.decode(column: "relationship", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
            deletedAt: try row.decode(column: "deleted_at", as: Date?.self), payeeChangedAt: try row.decode(column: "payee_changed_at", as: Date?.self))
    }
}
