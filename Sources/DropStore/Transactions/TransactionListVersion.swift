import SQLKit

/// The number that changes with every write that changes what a customer's transaction list
/// shows (kept by triggers, migration 17). Equal numbers mean the same list, on every process.
public enum TransactionListVersion {
    /// The customer's current number; 0 when they have never had a transaction.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try await db.raw("SELECT version FROM transaction_list_versions WHERE user_id = \(bind: userId)").first()?
            .decode(column: "version", as: Int64.self) ?? 0
    }
}
