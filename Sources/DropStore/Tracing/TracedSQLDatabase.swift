import DropTelemetry
import Logging
import NIOCore
import SQLKit
import Tracing

/// A connection that records a client span per statement while the current request or job is
/// traced (`Database.withConnection` wraps connections in it only then). The span carries the SQL with its
/// placeholders, never the bound values, so no personal data reaches a trace.
struct TracedSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let system: String

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let text = base.serialize(query).sql
        let operation = Self.operation(of: text)
        try await Traced.span(operation, kind: .client, attributes: [
            "db.system.name": .string(system), "db.operation.name": .string(operation), "db.query.text": .string(text),
        ]) { _ in
            try await base.execute(sql: query, onRow)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { [system] in try await closure(TracedSQLDatabase(base: $0, system: system)) }
    }

    /// The statement's first keyword (`SELECT`, `INSERT`, `BEGIN`): the span's name.
    static func operation(of sql: String) -> String {
        let word = sql.drop(while: { $0 == " " || $0 == "\n" || $0 == "(" }).prefix(while: { $0.isLetter })
        return word.isEmpty ? "SQL" : word.uppercased()
    }
}

extension TracedSQLDatabase: PreparesStatements {
    /// A prepared read in a span of its own (prepared on PostgreSQL, through SQLKit on SQLite).
    func prepared<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow] {
        let operation = Self.operation(of: Read.sql)
        return try await Traced.span(operation, kind: .client, attributes: [
            "db.system.name": .string(system), "db.operation.name": .string(operation), "db.query.text": .string(Read.sql),
        ]) { _ in
            try await base.rows(read)
        }
    }
}
