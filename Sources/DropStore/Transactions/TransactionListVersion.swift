import SQLKit

/// The number that changes with every write that changes what a customer's transaction list
/// shows (kept by triggers, migration 17). Equal numbers mean the same list, on every process.
public enum TransactionListVersion {
    /// The customer's current number; 0 when they have never had a transaction.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try Current.values(from: try await db.rows(Current.alone(userId)))[userId] ?? 0
    }

    /// The same, read with the numbers other requests ask for meanwhile (`Database.batched`).
    public static func current(userId: String, in database: Database) async throws -> Int64 {
        try await database.batched(Current.self, key: userId) ?? 0
    }

    /// Read before every answer kept in memory is served: prepared on PostgreSQL.
    struct Current: BatchedColumnRead {
        static func sql(isKey: String) -> String { "SELECT user_id, version FROM transaction_list_versions WHERE user_id \(isKey)" }
        static func values(from rows: [any SQLRow]) throws -> [String: Int64] { try VersionRows.values(from: rows) }
        let keys: [String]
    }
}
