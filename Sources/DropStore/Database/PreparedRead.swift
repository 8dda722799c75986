import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A read run so often that PostgreSQL should plan it once per connection, not on every request:
/// there it is a named prepared statement (PostgresNIO prepares it on a connection's first use of
/// it); on SQLite the same text goes through SQLKit. `sql` numbers its parameters `$1`, `$2`…,
/// which SQLite reads as well (a number used twice is one parameter in both).
///
/// Planning is most of what PostgreSQL spends on a short read: pgbench puts the dashboard's
/// statement at about 9,500 executions a second sent as Drop sent it (parsed and planned each
/// time) and 36,500 prepared (docs/decisions/0015). Keep to reads whose result columns never
/// change shape (name the columns, no `*`), so a migration can't invalidate a cached plan's type.
public protocol PreparedRead: Sendable {
    static var sql: String { get }
    /// The same read in SQLite's words where they differ from PostgreSQL's (nil: `sql` serves both).
    static var sqliteSQL: String? { get }
    /// The values of `$1`, `$2`…, in order.
    var parameters: [String] { get }
}

extension PreparedRead {
    public static var sqliteSQL: String? { nil }
}

extension SQLDatabase {
    /// `read`'s rows: prepared on a pooled PostgreSQL connection outside a transaction, as any
    /// other statement elsewhere (SQLite, or inside a transaction).
    public func rows<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow] {
        if let session = self as? any PreparesStatements { return try await session.prepared(read) }
        return try await unprepared(read)
    }

    /// The read as SQLKit sends any statement: parsed and planned where it runs.
    func unprepared<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow] {
        let sql = dialect.name == "sqlite" ? Read.sqliteSQL ?? Read.sql : Read.sql
        let query: SQLQueryString = "\(NumberedParameters(sql: sql, values: read.parameters) as any SQLExpression)"
        return try await raw(query).all()
    }
}

/// A connection that can run a `PreparedRead` as a named prepared statement.
protocol PreparesStatements: SQLDatabase {
    func prepared<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow]
}

/// `PreparedRead`'s text with its values bound in order (SQLite's `$1` is its first parameter).
private struct NumberedParameters: SQLExpression {
    let sql: String
    let values: [String]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: values)
    }
}

/// A `PreparedRead` as PostgresNIO prepares it: named after the read's type, so each connection
/// parses and plans it once.
struct PostgresPrepared<Read: PreparedRead>: PostgresPreparedStatement {
    static var name: String { StatementStrings.once(.name, of: Read.self) { String(reflecting: Read.self) } }
    static var sql: String { Read.sql }

    let read: Read

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: read.parameters.count)
        for value in read.parameters { bindings.append(value) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// What a read's statement is called and says, worked out once per read type. PostgresNIO asks
/// for a prepared statement's name and text on every execution: the name is the type's full name,
/// which `String(reflecting:)` has the runtime print each time (about 1 % of a `/dashboard`'s CPU),
/// and a `BatchedColumnRead`'s texts are put together from their parts.
enum StatementStrings {
    enum Part: Hashable {
        case name, sql, sqliteSQL
    }

    private struct Key: Hashable {
        let part: Part
        let read: ObjectIdentifier
    }

    private static let strings = NIOLockedValueBox([Key: String]())

    static func once(_ part: Part, of read: Any.Type, make: () -> String) -> String {
        let key = Key(part: part, read: ObjectIdentifier(read))
        if let string = strings.withLockedValue({ $0[key] }) { return string }
        let string = make()
        strings.withLockedValue { $0[key] = string }
        return string
    }
}

/// A pooled PostgreSQL connection as SQLKit sees it, which can also run prepared reads.
struct PostgresSession: PreparesStatements, SQLDatabaseWrapper {
    let connection: PostgresConnection
    let base: any SQLDatabase
    /// False inside a transaction: a statement first prepared after an earlier one failed there
    /// would fail to prepare ("transaction is aborted"), and PostgresNIO keeps that failure for
    /// the connection's life. Transactions send their reads as plain statements.
    let prepares: Bool

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// SQLKit's statements (writes, transactions, every read that isn't a `PreparedRead`) go out as
    /// PostgresKit sends them, their binds encoded the same way, but their rows are
    /// `PostgresPreparedRow`s: PostgresKit's generic decoding had been 2–4 % of the machine under
    /// the transfer cell, Drop having half of it (bench/README.md, "Transfers: who waits for
    /// what"). A statement with a bind PostgresNIO can't encode by itself (an enum, an array) goes
    /// to PostgresKit whole.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try ensureOpen()
        let (sql, binds) = serialize(query)
        guard let bindings = Self.bindings(binds) else { return try await base.execute(sql: query, onRow) }
        var reader = PostgresPreparedRow.Reader()
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
            onRow(reader.row(row))
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do { try ensureOpen() } catch { return eventLoop.makeFailedFuture(error) }
        return base.execute(sql: query, onRow)
    }

    /// PostgresNIO (1.33) never answers a statement sent on a connection the server has already closed
    /// (ended by `pg_terminate_backend`, a restart, a failover): the statement goes nowhere, and the task
    /// awaiting it waits for good, with its pool slot, its idempotency lease or job lease renewed for ever.
    /// It happened to the second statement of a transaction whose connection was ended between two, and to
    /// the ROLLBACK after a statement the server's end interrupted. Refused here instead, at once: the
    /// transaction rolls back with the server's end of it, and the caller gets an error (ADR 0035). On the
    /// connection's own event loop, where Drop's work runs (ADR 0021), nothing closes it between this look and
    /// the statement being handed to it.
    private func ensureOpen() throws {
        if connection.isClosed { throw DatabaseConnectionClosed() }
    }

    /// The binds as PostgresKit encodes them when each is nil or a type PostgresNIO encodes itself
    /// (text, integers, timestamps, booleans, floating point…); nil if any is something else.
    static func bindings(_ binds: [any Encodable & Sendable]) -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if let optional = bind as? any OptionalBind, optional.isNone {
                bindings.appendNull()
            } else if let value = bind as? any PostgresThrowingDynamicTypeEncodable, (try? bindings.append(value)) != nil {
                continue
            } else {
                return nil
            }
        }
        return bindings
    }

    func prepared<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow] {
        try ensureOpen()
        guard prepares else { return try await base.unprepared(read) }
        do {
            var rows: [any SQLRow] = []
            var reader = PostgresPreparedRow.Reader()
            for try await row in try await connection.execute(PostgresPrepared(read: read), logger: logger) {
                rows.append(reader.row(row))
            }
            return rows
        } catch is PSQLError {
            // A statement that once failed to prepare on this connection (say, its table was not
            // migrated yet) fails there from then on without asking the server. The plain
            // statement answers instead, or gives the server's own error if there still is one.
            // Not on a connection the server has closed meanwhile: it would never answer.
            try ensureOpen()
            return try await base.unprepared(read)
        }
    }
}

/// A bind that is an optional, so a nil one is sent as NULL whatever its type.
protocol OptionalBind {
    var isNone: Bool { get }
}

extension Optional: OptionalBind {
    var isNone: Bool { self == nil }
}
