import NIOCore
import SQLiteKit
import SQLiteNIO
import SQLKit

/// A pooled SQLite connection as SQLKit sees it: statements go out as SQLiteKit sends them, their
/// binds encoded the same way, and their rows are `SQLiteReadRow`s.
struct SQLiteSession: SQLDatabaseWrapper {
    let connection: SQLiteConnection
    let base: any SQLDatabase

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        let data = try binds.map { try encoder.encode($0) }
        // The future's answer comes back on the connection's event loop, the caller's (ADR 0021); the
        // async `query` would resume from SQLite's thread pool, on whichever loop comes next.
        try await connection.query(sql, data, logger: logger) { onRow(SQLiteReadRow(row: $0)) }.get()
    }
}
