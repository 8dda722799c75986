import Foundation
import Logging
import SQLKit

/// Applies pending migrations. Safe to run twice and from several processes at once: each
/// migration is its own transaction, which first takes a lock (PostgreSQL advisory lock; SQLite's
/// write lock) and then reads what is still pending.
///
/// On a live PostgreSQL a schema change needs its table's strongest lock, and while it waits for
/// one (a long report, a transaction left open) every request touching that table queues behind
/// it: a migration waiting a minute is a minute's outage. So a statement waits for a lock at most
/// `lockTimeout`; then its migration's transaction rolls back, nothing of it applied, and is tried
/// again after a pause, `lockAttempts` times in all, before `drop migrate` stops with
/// `MigrationLockTimeout` (docs/operations.md, "Migrations on a live database").
public struct Migrator: Sendable {
    public let migrations: [Migration]
    /// How long a migration's statement may wait for a lock on PostgreSQL (`lock_timeout`).
    public var lockTimeout: Duration
    /// How many times a migration is tried while its locks are held by others.
    public var lockAttempts: Int
    /// The pause before the next attempt: `lockPause` after the first, doubling, at most 30 s.
    public var lockPause: Duration

    public init(migrations: [Migration] = Migration.all, lockTimeout: Duration = .seconds(5), lockAttempts: Int = 5,
                lockPause: Duration = .seconds(2)) {
        self.migrations = migrations
        self.lockTimeout = lockTimeout
        self.lockAttempts = max(1, lockAttempts)
        self.lockPause = lockPause
    }

    /// Returns the versions applied by this call (empty when the schema was already current).
    @discardableResult
    public func migrate(_ database: Database, now: Date = Date(), logger: Logger = Logger(label: "drop.migrate")) async throws -> [Int] {
        var done: [Int] = []
        while let version = try await applyNext(database, now: now, logger: logger) {
            done.append(version)
        }
        return done
    }

    /// The lowest pending migration, applied in a transaction of its own; nil when none is pending.
    private func applyNext(_ database: Database, now: Date, logger: Logger) async throws -> Int? {
        var attempt = 1
        while true {
            do {
                return try await database.transaction { db in try await applyNext(on: db, dialect: database.dialect, now: now, logger: logger) }
            } catch where classifyDatabaseError(error) == .lockNotAvailable {
                let waiting = (try? await pending(database).first).flatMap { $0 }
                guard attempt < lockAttempts else {
                    throw MigrationLockTimeout(version: waiting, attempts: attempt, lockTimeout: lockTimeout)
                }
                let pause = min(lockPause * (1 << min(attempt - 1, 10)), .seconds(30))
                logger.warning("migration waited too long for a lock; trying again", metadata: [
                    "version": "\(waiting.map(String.init) ?? "?")", "attempt": "\(attempt)", "pause": "\(pause)",
                ])
                try await Task.sleep(for: pause)
                attempt += 1
            }
        }
    }

    private func applyNext(on db: DatabaseConnection, dialect: Dialect, now: Date, logger: Logger) async throws -> Int? {
        if dialect == .postgres {
            // Any fixed key; serializes concurrent migrators until this transaction ends. Taken before
            // the lock timeout is set: another migrator's long backfill is worth waiting for.
            try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Int64(0x64726F70))) ").run()
            // SET takes no bind parameters; the value is Drop's own whole number of milliseconds.
            try await db.raw("SET LOCAL lock_timeout = \(unsafeRaw: String(Self.milliseconds(lockTimeout)))").run()
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
        guard let migration = migrations.sorted(by: { $0.version < $1.version }).first(where: { !applied.contains($0.version) }) else {
            return nil
        }
        logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        for statement in migration.statements(for: dialect) {
            try await db.raw(SQLQueryString(statement)).run()
        }
        try await db.raw("""
            INSERT INTO schema_migrations (version, name, applied_at)
            VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))
            """).run()
        return migration.version
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
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

/// A migration that could not get its tables' locks in `attempts` tries of `lockTimeout` each:
/// other transactions held them throughout. Nothing of it was applied; the migrations before it were.
public struct MigrationLockTimeout: Error, CustomStringConvertible, Sendable {
    public let version: Int?
    public let attempts: Int
    public let lockTimeout: Duration

    public var description: String {
        "Migration \(version.map(String.init) ?? "") waited for a lock \(attempts) times, \(lockTimeout) each, while other transactions held "
            + "its tables; nothing of it was applied. Find what holds them (pg_stat_activity, pg_locks) and run `drop migrate` again."
    }
}
