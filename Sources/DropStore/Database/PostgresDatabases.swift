import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

/// Whole PostgreSQL databases, made and dropped by name on the server a URL names. The test suite
/// gives each test its own copy of a migrated template: `CREATE DATABASE … TEMPLATE` copies files,
/// several times cheaper than running every migration again. Never used by the application.
public enum PostgresDatabases {
    /// The same server and credentials as `serverURL`, with `database` as the database.
    public static func url(_ serverURL: String, database: String) throws -> String {
        try checkName(database)
        guard var components = URLComponents(string: serverURL) else {
            throw DatabaseURLError(message: "not a PostgreSQL URL")
        }
        components.path = "/" + database
        guard let url = components.string else { throw DatabaseURLError(message: "not a PostgreSQL URL") }
        return url
    }

    public static func exists(_ name: String, serverURL: String) async throws -> Bool {
        try checkName(name)
        return try await withConnection(serverURL) { db in
            try await db.raw("SELECT 1 AS found FROM pg_database WHERE datname = \(bind: name)").first() != nil
        }
    }

    /// Creates `name`, as a copy of `template` when one is given (which nobody may be connected to:
    /// a template whose last session is still closing is waited for).
    public static func create(_ name: String, template: String? = nil, serverURL: String) async throws {
        try checkName(name)
        if let template { try checkName(template) }
        // Identifiers can't be bound as parameters; both names were checked above.
        let statement = "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? "")
        try await whileInUse(serverURL) { db in try await db.raw(SQLQueryString(statement)).run() }
    }

    public static func rename(_ name: String, to newName: String, serverURL: String) async throws {
        try checkName(name)
        try checkName(newName)
        try await whileInUse(serverURL) { db in try await db.raw("ALTER DATABASE \(unsafeRaw: name) RENAME TO \(unsafeRaw: newName)").run() }
    }

    /// Drops `name`, ending any session still connected to it.
    public static func drop(_ name: String, serverURL: String) async throws {
        try checkName(name)
        try await withConnection(serverURL) { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
    }

    /// Ends the sessions connected to `name` (only the one with backend `pid`, when given), as a server restart
    /// or an operator's `pg_terminate_backend` ends them: for tests of what Drop does when its connection dies
    /// (ADR 0035). - Returns: how many were ended.
    @discardableResult
    public static func terminateSessions(of name: String, pid: Int? = nil, serverURL: String) async throws -> Int {
        try checkName(name)
        return try await withConnection(serverURL) { db in
            var query: SQLQueryString = """
                SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = \(bind: name) AND pid <> pg_backend_pid()
                """
            if let pid { query.appendInterpolation(unsafeRaw: " AND pid = "); query.appendInterpolation(bind: pid) }
            return try await db.raw(query).all().count
        }
    }

    private static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.count < 64, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }) else {
            throw DatabaseURLError(message: "database name must be letters, digits and underscores")
        }
    }

    /// Retries `body` for up to five seconds while PostgreSQL says a database it needs is in use
    /// (SQLSTATE 55006): a session closed by the client lingers on the server for a moment.
    private static func whileInUse(_ serverURL: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try await withConnection(serverURL, body)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempts < 100 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private static func withConnection<T: Sendable>(_ serverURL: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let logger = Logger(label: "drop.store")
        let configuration = try SQLPostgresConfiguration(url: serverURL)
        let connection = try await PostgresConnectionSource(sqlConfiguration: configuration)
            .makeConnection(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()).get()
        let result = await Result(catching: { try await body(connection.sql()) })
        try await connection.close().get()
        return try result.get()
    }
}
