import SQLKit

/// The number that changes with every write that changes what a customer's transaction list
/// shows (kept by triggers, migration 17). Equal numbers mean the same list, on every process.
public enum TransactionListVersion {
    /// The customer's current number; 0 when they have never had a transaction.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try await db.rows(Current(userId: userId)).first?.decode(column: "version", as: Int64.self) ?? 0
    }

    /// Read before every answer kept in memory is served: prepared on PostgreSQL.
    struct Current: PreparedRead {
        static let sql = "SELECT version FROM transaction_list_versions WHERE user_id = $1"
        let userId: String
        var parameters: [String] { [userId] }
    }
}
