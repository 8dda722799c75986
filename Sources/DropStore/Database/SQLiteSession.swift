import NIOCore
import SQLiteKit
import SQLiteNIO
import SQLKit

/// A pooled SQLite connection as SQLKit sees it: statements go out as SQLiteKit sends them, their
/// binds encoded the same way, and their rows are `SQLiteReadRow`s. Outside a transaction its
/// `PreparedRead`s go to statements kept prepared (`kept`, ADR 0025).
struct SQLiteSession: PreparesStatements, SQLDatabaseWrapper {
    let connection: SQLiteConnection
    let base: any SQLDatabase
    /// Nil inside a transaction, whose reads must see its own writes on its own connection.
    var kept: SQLiteKeptStatements? = nil

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

    /// A read that can't run on a kept statement (it doesn't prepare yet, say its table isn't
    /// migrated) goes out as a plain statement, which answers or gives SQLite's own error.
    func prepared<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow] {
        guard let kept else { return try await unprepared(read) }
        do {
            return try await kept.rows(sql: Read.sqliteSQL ?? Read.sql, parameters: read.parameters, on: connection.eventLoop)
        } catch {
            return try await unprepared(read)
        }
    }
}
