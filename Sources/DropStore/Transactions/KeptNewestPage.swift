import SQLKit

/// A customer's newest page of their transaction list as the API last sent it, kept in the database beside
/// the `TransactionListVersion` it was read under (migration 19, ADR 0023). Any process, a restarted one or
/// another instance, sends it as it is while the number stands still, instead of reading the page's rows,
/// building its views and writing its JSON again: what a restart under a crowd spent most of its time on.
///
/// Never stale: the triggers that move the number empty the page in the same statement, and a page is kept
/// only under the number it was read under (`keep`), so a page beside a number is that number's page.
public struct KeptNewestPage: Sendable, Equatable {
    /// The customer's `TransactionListVersion`; 0 when they have never had a transaction.
    public let version: Int64
    /// The page's JSON, when one is kept at `version`.
    public let json: String?

    public init(version: Int64, json: String?) {
        self.version = version
        self.json = json
    }

    /// The customer's number and the page kept under it in `format`, in one read: what a process asks when it
    /// holds nothing of the customer. Sent together with other customers' under a crowd (`Database.batched`).
    public static func read(userId: String, format: String, in database: Database) async throws -> KeptNewestPage {
        guard let stored = try await database.batched(Read.self, key: userId) else { return KeptNewestPage(version: 0, json: nil) }
        return KeptNewestPage(version: stored.version, json: stored.format == format ? stored.json : nil)
    }

    /// A page to keep: `json`, read from its rows after the customer's number was read as `version`.
    public struct Keeping: Sendable {
        public let userId: String
        public let version: Int64
        public let json: String

        public init(userId: String, version: Int64, json: String) {
            self.userId = userId
            self.version = version
            self.json = json
        }
    }

    /// Keeps each page, written in `format`, as its customer's newest page if their number is still the one read
    /// before the page's rows were. A write committed since has moved the number, and then that page is not kept:
    /// it may hold that write's rows or not, and either way it isn't the page at the number beside it. One
    /// statement for them all. Returns the customers whose page was kept.
    @discardableResult
    public static func keep(_ pages: [Keeping], format: String, in database: Database) async throws -> Set<String> {
        guard !pages.isEmpty else { return [] }
        var values = SQLQueryString("")
        for (index, page) in pages.enumerated() {
            values.appendInterpolation(unsafeRaw: index == 0 ? "" : ", ")
            values = values + "(\(bind: page.userId), CAST(\(bind: page.version) AS BIGINT), \(bind: page.json))"
        }
        // VALUES' columns are column1… on both databases (SQLite names no others).
        let sql: SQLQueryString = """
            UPDATE transaction_list_versions SET newest_page_format = \(bind: format), newest_page = kept.column3
            FROM (VALUES \(values)) AS kept
            WHERE transaction_list_versions.user_id = kept.column1 AND transaction_list_versions.version = kept.column2
            RETURNING transaction_list_versions.user_id
            """
        let rows = try await database.singleWrite { try await $0.raw(sql).all() }
        return Set(try rows.map { try $0.decode(column: "user_id", as: String.self) })
    }

    /// One page, as `keep(_:format:in:)` keeps it; whether it was kept.
    @discardableResult
    public static func keep(_ json: String, format: String, userId: String, version: Int64, in database: Database) async throws -> Bool {
        try await keep([Keeping(userId: userId, version: version, json: json)], format: format, in: database).contains(userId)
    }

    struct Stored: Sendable {
        let version: Int64
        let format: String?
        let json: String?
    }

    struct Read: BatchedColumnRead {
        static func sql(isKey: String) -> String {
            "SELECT user_id, version, newest_page_format, newest_page FROM \(TransactionListVersion.name) WHERE user_id \(isKey)"
        }

        static func values(from rows: [any SQLRow]) throws -> [String: Stored] {
            var pages: [String: Stored] = [:]
            for row in rows {
                pages[try row.decode(column: "user_id", as: String.self)] = Stored(
                    version: try row.decode(column: "version", as: Int64.self), format: try row.decode(column: "newest_page_format", as: String?.self),
                    json: try row.decode(column: "newest_page", as: String?.self))
            }
            return pages
        }

        let keys: [String]
    }
}
