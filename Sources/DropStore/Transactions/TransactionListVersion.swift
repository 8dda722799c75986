import SQLKit

/// The number that changes with every write that changes what a customer's transaction list
/// shows (kept by triggers, migration 17). Equal numbers mean the same list, on every process.
public enum TransactionListVersion: VersionTable {
    static let name = "transaction_list_versions"

    /// The customer's current number; 0 when they have never had a transaction.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try await CustomerVersion<Self>.current(userId: userId, on: db)
    }

    /// The same, read with the numbers other requests ask for meanwhile (`Database.batched`).
    public static func current(userId: String, in database: Database) async throws -> Int64 {
        try await CustomerVersion<Self>.current(userId: userId, in: database)
    }
}
