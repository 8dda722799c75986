import Foundation
import Logging
import SQLKit

/// Applies pending migrations. Safe to run twice and from several processes at once: the whole
/// run is one transaction that first takes a lock (Postgres advisory lock; SQLite's write lock).
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Migration.all) {
        self.migrations = migrations
    }

    /// Returns the versions applied by this call (empty when the schema was already current).
    @discardableResult
    public func migrate(_ database: Database, now: Date = Date(), logger: Logger = Logger(label: "drop.migrate")) async throws -> [Int] {
        try await database.transaction { db in
            if database.dialect == .postgres {
                // Any fixed key; serializes concurrent migrators until this transaction ends.
                try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Int64(0x64726F70))) ").run()
            }
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL
                )
                """).run()
            let applied = Set(try await db.raw("SELECT version FROM schema_migrations").all()
                .map { try $0.decode(column: "version", as: Int.self) })
            var done: [Int] = []
            for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
                logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                for statement in migration.statements(for: database.dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))
                    """).run()
                done.append(migration.version)
            }
            return done
        }
    }

    /// Versions the code knows that the database has not applied yet (all of them when the
    /// migrations table is missing). `/ready` answers 503 while this is not empty.
    public func pending(_ database: Database) async throws -> [Int] {
        var applied: Set<Int> = []
        do {
            applied = try await database.withConnection { db in
                Set(try await db.raw("SELECT version FROM schema_migrations").all()
                    .map { try $0.decode(column: "version", as: Int.self) })
            }
        } catch {
            // A database that answers but has no migrations table yet has applied nothing.
            guard await database.ping() else { throw error }
        }
        return migrations.map(\.version).filter { !applied.contains($0) }.sorted()
    }
}
