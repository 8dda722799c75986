import DropCore
import Foundation
import SQLKit

/// A transaction as its customer reads it: the amounts, the payee as the transfer snapshotted it,
/// the merchant a QR payment paid and where the money is.
public struct TransactionRecord: Sendable, Equatable {
    public struct Merchant: Sendable, Equatable {
        public let code: String
        public let name: String?
        public let city: String?
    }

    public let id: String
    public let kind: TransactionKind
    public let status: TransferStatus
    public let amount: Money
    public let fee: Money
    public let total: Money
    /// What the recipient receives; nil for a QR payment.
    public let receive: Money?
    public let rate: String?
    public let recipientId: String?
    public let recipientName: String?
    public let recipientCountry: String?
    public let merchantId: String?
    /// The merchant's public details; nil when the merchant is gone or there is none.
    public let merchant: Merchant?
    public let bankAccountId: String?
    public let message: String?
    public let reference: String?
    public let paymentLinkId: String?
    /// The standing transfer whose payment this is, if any.
    public let standingOrderId: String?
    public let endToEndId: String
    public let scaRedirect: String?
    public let failureReason: String?
    public let returnRequestedAt: Date?
    public let returnedAt: Date?
    /// When the payer's bank reported the money sent (its settlement); nil until then.
    public let fundsReceivedAt: Date?
    public let createdAt: Date
    public let updatedAt: Date
    public let completedAt: Date?
}

/// One move of a transaction's status (`transaction_events`).
public struct TransactionEventRecord: Sendable, Equatable {
    public let fromStatus: TransferStatus?
    public let toStatus: TransferStatus
    public let at: Date
    public let reason: String
}

/// The customer's own transactions: one, a page of them, and whether one is theirs.
public enum CustomerTransactionRepository {
    static let columns = """
        t.id, t.kind, t.status, t.amount_minor, t.currency, t.fee_minor, t.total_minor, t.target_amount_minor, t.target_currency,
        t.rate, t.recipient_id, t.merchant_id, t.bank_account_id, t.message, t.reference, t.payment_link_id, t.standing_order_id, t.end_to_end_id, t.sca_redirect,
        t.failure_reason, t.return_requested_at, t.returned_at, t.funds_received_at, t.created_at, t.updated_at, t.completed_at, t.payee_name AS recipient_name, t.payee_country AS recipient_country,
        m.code AS merchant_code, m.name AS merchant_name, m.city AS merchant_city
        """

    /// The tables `columns` reads, joined.
    // The payee is the transfer's own snapshot, never the recipient as edited since.
    static let tables = "transactions t LEFT JOIN merchants m ON m.id = t.merchant_id"

    /// The user's transaction with its status moves by time (moves in one DB transaction share
    /// it), in one read: a row per move; nil when the transaction isn't theirs.
    public static func find(id: String, userId: String, on db: DatabaseConnection) async throws -> (TransactionRecord, [TransactionEventRecord])? {
        let rows = try await db.rows(WithHistory(id: id, userId: userId))
        guard let first = rows.first else { return nil }
        let events = try rows.compactMap { row -> TransactionEventRecord? in
            guard let to = try row.decode(column: "event_to", as: TransferStatus?.self) else { return nil }
            return TransactionEventRecord(fromStatus: try row.decode(column: "event_from", as: TransferStatus?.self), toStatus: to,
                                          at: try row.decode(column: "event_at", as: Date.self), reason: try row.decode(column: "event_reason", as: String.self))
        }
        return (try record(first), events)
    }

    /// Every transfer's answer reads it, and so does every look at one: prepared on PostgreSQL,
    /// where planning the joins cost more than running them (pg_stat_statements, bench/README.md).
    struct WithHistory: PreparedRead {
        static let sql = """
            SELECT \(columns), e.from_status AS event_from, e.to_status AS event_to, e.at AS event_at, e.reason AS event_reason
            FROM \(tables) LEFT JOIN transaction_events e ON e.transaction_id = t.id
            WHERE t.id = $1 AND t.user_id = $2
            ORDER BY e.at
            """
        let id: String
        let userId: String
        var parameters: [String] { [id, userId] }
    }

    /// The user's transactions newest first, one more than `limit` (so the caller knows whether more follow).
    public static func list(userId: String, status: TransferStatus?, kind: TransactionKind?, from: Date?, to: Date?, after position: PagePosition?,
                            limit: Int, on db: DatabaseConnection) async throws -> [TransactionRecord] {
        if status == nil, kind == nil, from == nil, to == nil, position == nil {
            return try await db.rows(NewestPages.alone(NewestPages.key(userId: userId, limit: limit))).map(record)
        }
        var query = ListQuery("SELECT \(columns) FROM \(tables)")
        query.and("t.user_id =", userId)
        query.and("t.status =", status?.rawValue)
        query.and("t.kind =", kind?.rawValue)
        query.and("t.created_at >=", from)
        query.and("t.created_at <", to)
        query.page(table: "transactions", alias: "t", after: position, limit: limit)
        return try await db.raw(query.sql).all().map(record)
    }

    /// The newest page with no filter, one more row than `limit`, as `list` gives it, read with the
    /// pages other requests ask for meanwhile (`Database.batched`): every customer's first look at
    /// their list after a restart reads it.
    public static func newest(_ limit: Int, userId: String, in database: Database) async throws -> [TransactionRecord] {
        try await newestNumbered(limit, userId: userId, in: database)?.value ?? []
    }

    /// The same with the customer's `TransactionListVersion` from the same statement; nil when they
    /// have no transaction, as no row then carries the number.
    public static func newestNumbered(_ limit: Int, userId: String, in database: Database) async throws -> Numbered<[TransactionRecord]>? {
        try await database.batched(NewestPages.self, key: NewestPages.key(userId: userId, limit: limit))
    }

    /// Many customers' newest pages in one statement, each at its own size. A key is the rows
    /// wanted (one more than the page, so the page knows whether more follow) and the customer,
    /// `"<rows> <user id>"`; each page's rows come newest first, the same rows as `ListQuery` gives
    /// with no filter. PostgreSQL reads each customer's newest rows and stops (a lateral
    /// join with the key's limit). SQLite can't take a limit from the row it joins, so it numbers
    /// each customer's rows and keeps the first ones (SQLite is Drop's development database). Each
    /// row carries the customer's number as `list_version`, read in the same snapshot as the rows.
    struct NewestPages: BatchedRead {
        static func key(userId: String, limit: Int) -> String { "\(limit + 1) \(userId)" }

        /// One customer's page, its key given back: what a kept list is read from when it isn't in
        /// memory and no other page is asked for meanwhile, and `list` with no filter. Prepared on
        /// PostgreSQL; the limit is bound as text, as every `PreparedRead` value is, and cast back.
        struct Alone: PreparedRead {
            static let sql = """
                SELECT CAST($1 AS TEXT) AS page_key,
                       COALESCE((SELECT v.version FROM \(TransactionListVersion.name) v WHERE v.user_id = $2), 0) AS list_version,
                       \(columns) FROM \(tables) WHERE t.user_id = $2\(NewestFirst.orderBy(alias: "t"))
                LIMIT CAST($3 AS INTEGER)
                """
            let key: String

            /// The key, its customer and its rows.
            var parameters: [String] {
                guard let space = key.firstIndex(of: " ") else { return [key, key, "0"] }
                return [key, String(key[key.index(after: space)...]), String(key[..<space])]
            }
        }

        static func alone(_ key: String) -> Alone { Alone(key: key) }

        static let sql = """
            SELECT k.key AS page_key, COALESCE(v.version, 0) AS list_version, p.* FROM json_array_elements_text($1::json) AS k(key)
            LEFT JOIN \(TransactionListVersion.name) v ON v.user_id = substr(k.key, strpos(k.key, ' ') + 1)
            CROSS JOIN LATERAL (
                SELECT \(columns) FROM \(tables) WHERE t.user_id = substr(k.key, strpos(k.key, ' ') + 1)\(NewestFirst.orderBy(alias: "t"))
                LIMIT CAST(split_part(k.key, ' ', 1) AS INTEGER)) p
            ORDER BY k.key, p.created_at DESC, p.id DESC
            """

        static let sqliteSQL: String? = """
            SELECT * FROM (
                SELECT k.value AS page_key, CAST(substr(k.value, 1, instr(k.value, ' ') - 1) AS INTEGER) AS page_rows,
                       COALESCE((SELECT v.version FROM \(TransactionListVersion.name) v WHERE v.user_id = t.user_id), 0) AS list_version, \(columns),
                       ROW_NUMBER() OVER (PARTITION BY k.value\(NewestFirst.orderBy(alias: "t"))) AS page_row
                FROM json_each($1) k, \(tables) WHERE t.user_id = substr(k.value, instr(k.value, ' ') + 1))
            WHERE page_row <= page_rows ORDER BY page_key, page_row
            """

        /// Each key's rows newest first, under the customer's number.
        static func values(from rows: [any SQLRow]) throws -> [String: Numbered<[TransactionRecord]>] {
            try Numbered.grouped(rows, numberColumn: "list_version", key: { try $0.decode(column: "page_key", as: String.self) },
                                 element: record)
        }

        let keys: [String]
    }

    /// Whether the transaction exists and is the user's.
    public static func belongs(id: String, toUser userId: String, on db: DatabaseConnection) async throws -> Bool {
        try await db.raw("SELECT id FROM transactions WHERE id = \(bind: id) AND user_id = \(bind: userId)").first() != nil
    }

    /// The IP address each of the customer's transactions was asked for from (`psu_ip_address`, sent to the
    /// bank with the payment), oldest first: theirs to see in the data export.
    public static func ipAddresses(userId: String, on db: DatabaseConnection) async throws -> [(transactionId: String, ipAddress: String)] {
        try await db.raw("""
            SELECT id, psu_ip_address FROM transactions WHERE user_id = \(bind: userId) AND psu_ip_address IS NOT NULL
            ORDER BY created_at, id
            """).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "psu_ip_address", as: String.self)) }
    }

    private static func record(_ row: any SQLRow) throws -> TransactionRecord {
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        let target = try row.decode(column: "target_amount_minor", as: Int64?.self)
        let targetCurrency = try row.decode(column: "target_currency", as: String?.self)
        let merchant = try row.decode(column: "merchant_code", as: String?.self).map {
            TransactionRecord.Merchant(code: $0, name: try row.decode(column: "merchant_name", as: String?.self),
                                       city: try row.decode(column: "merchant_city", as: String?.self))
        }
        return TransactionRecord(
            id: try row.decode(column: "id", as: String.self), kind: try row.decode(column: "kind", caseOf: TransactionKind.self),
            status: try row.decode(column: "status", caseOf: TransferStatus.self),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
            fee: Money(minorUnits: try row.decode(column: "fee_minor", as: Int64.self), currency: currency),
            total: Money(minorUnits: try row.decode(column: "total_minor", as: Int64.self), currency: currency),
            receive: target.flatMap { amount in targetCurrency.flatMap(Currency.init(rawValue:)).map { Money(minorUnits: amount, currency: $0) } },
            rate: try row.decode(column: "rate", as: String?.self), recipientId: try row.decode(column: "recipient_id", as: String?.self),
            recipientName: try row.decode(column: "recipient_name", as: String?.self),
            recipientCountry: try row.decode(column: "recipient_country", as: String?.self),
            merchantId: try row.decode(column: "merchant_id", as: String?.self), merchant: merchant,
            bankAccountId: try row.decode(column: "bank_account_id", as: String?.self), message: try row.decode(column: "message", as: String?.self),
            reference: try row.decode(column: "reference", as: String?.self), paymentLinkId: try row.decode(column: "payment_link_id", as: String?.self),
            standingOrderId: try row.decode(column: "standing_order_id", as: String?.self),
            endToEndId: try row.decode(column: "end_to_end_id", as: String.self), scaRedirect: try row.decode(column: "sca_redirect", as: String?.self),
            failureReason: try row.decode(column: "failure_reason", as: String?.self),
            returnRequestedAt: try row.decode(column: "return_requested_at", as: Date?.self),
            returnedAt: try row.decode(column: "returned_at", as: Date?.self),
            fundsReceivedAt: try row.decode(column: "funds_received_at", as: Date?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self), completedAt: try row.decode(column: "completed_at", as: Date?.self))
    }
}
