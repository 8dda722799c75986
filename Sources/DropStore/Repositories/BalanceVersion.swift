import SQLKit

/// The number that changes with every write to a customer's bank accounts (kept by triggers,
/// migration 18). Equal numbers mean the same accounts and balances, on every process.
public enum BalanceVersion {
    /// The customer's current number; 0 when they have never linked an account.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try await db.rows(Current(userId: userId)).first?.decode(column: "version", as: Int64.self) ?? 0
    }

    /// Read before every answer kept in memory is served: prepared on PostgreSQL.
    struct Current: PreparedRead {
        static let sql = "SELECT version FROM balance_versions WHERE user_id = $1"
        let userId: String
        var parameters: [String] { [userId] }
    }
}
