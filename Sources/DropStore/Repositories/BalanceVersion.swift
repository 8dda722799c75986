import SQLKit

/// The number that changes with every write to a customer's bank accounts (kept by triggers,
/// migration 18). Equal numbers mean the same accounts and balances, on every process.
public enum BalanceVersion: VersionTable {
    static let name = "balance_versions"

    /// The customer's current number; 0 when they have never linked an account.
    public static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try await CustomerVersion<Self>.current(userId: userId, on: db)
    }

    /// The same, read with the numbers other requests ask for meanwhile (`Database.batched`).
    public static func current(userId: String, in database: Database) async throws -> Int64 {
        try await CustomerVersion<Self>.current(userId: userId, in: database)
    }
}
