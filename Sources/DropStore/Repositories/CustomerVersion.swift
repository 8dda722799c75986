import SQLKit

/// A table of one number per customer, moved by triggers with every write to what it counts
/// (`BalanceVersion`, `TransactionListVersion`).
protocol VersionTable {
    static var name: String { get }
}

/// A customer's number in `Table`, 0 when they have none yet: read before every answer kept in
/// memory is served, prepared on PostgreSQL and sent together under a crowd (ADR 0019).
struct CustomerVersion<Table: VersionTable>: BatchedColumnRead {
    static func sql(isKey: String) -> String { "SELECT user_id, version FROM \(Table.name) WHERE user_id \(isKey)" }

    static func values(from rows: [any SQLRow]) throws -> [String: Int64] {
        var versions: [String: Int64] = [:]
        for row in rows { versions[try row.decode(column: "user_id", as: String.self)] = try row.decode(column: "version", as: Int64.self) }
        return versions
    }

    let keys: [String]

    static func current(userId: String, on db: DatabaseConnection) async throws -> Int64 {
        try values(from: try await db.rows(alone(userId)))[userId] ?? 0
    }

    static func current(userId: String, in database: Database) async throws -> Int64 {
        try await database.batched(Self.self, key: userId) ?? 0
    }
}
