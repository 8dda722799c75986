import SQLKit

/// The number that changes with every write to a customer's bank accounts (kept by triggers,
/// migration 18). Equal numbers mean the same accounts and balances, on every process.
public enum BalanceVersion {
    /// The customer's current number; 0 when they have never linked an account.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try Current.values(from: try await db.rows(Current.alone(userId)))[userId] ?? 0
    }

    /// The same, read with the numbers other requests ask for meanwhile (`Database.batched`).
    public static func current(userId: String, in database: Database) async throws -> Int64 {
        try await database.batched(Current.self, key: userId) ?? 0
    }

    /// Read before every answer kept in memory is served: prepared on PostgreSQL.
    struct Current: BatchedColumnRead {
        static func sql(isKey: String) -> String { "SELECT user_id, version FROM balance_versions WHERE user_id \(isKey)" }
        static func values(from rows: [any SQLRow]) throws -> [String: Int64] { try VersionRows.values(from: rows) }
        let keys: [String]
    }
}

/// A version table's rows by customer (`BalanceVersion`, `TransactionListVersion`).
enum VersionRows {
    static func values(from rows: [any SQLRow]) throws -> [String: Int64] {
        var versions: [String: Int64] = [:]
        for row in rows { versions[try row.decode(column: "user_id", as: String.self)] = try row.decode(column: "version", as: Int64.self) }
        return versions
    }
}
