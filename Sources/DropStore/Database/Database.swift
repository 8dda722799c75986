import AsyncKit
import DropTelemetry
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Tracing

/// Drop's one store API over SQLite (development) and PostgreSQL (production).
///
/// Repositories take a `DatabaseConnection`, so the same code runs on a pooled connection
/// (`withConnection`) or inside a transaction (`transaction`). SQL is always parameterized through SQLKit's `\(bind:)`.
public final class Database: Sendable {
    public let dialect: Dialect
    public let url: DatabaseURL
    private let pool: Pool
    private let logger: Logger
    /// SQLite only: write transactions queue here (see `WriteGate`).
    private let writeGate: WriteGate?
    /// SQLite only: the threads its blocking C calls run on, one per connection.
    private let threadPool: NIOThreadPool?
    /// SQLite: `PreparedRead`s outside transactions on statements kept prepared (ADR 0025).
    let keptStatements: SQLiteKeptStatements?
    /// PostgreSQL only: hears other processes' session changes (nil when not asked for).
    private let listener: SessionChangeListener?
    /// PostgreSQL: `PreparedRead`s as named prepared statements outside transactions (`Options.preparesStatements`).
    private let preparesStatements: Bool
    /// The `BatchedRead`s' senders (`batched(_:key:)`).
    let batchers = ReadBatchers()
    /// Tests only (`Options.faults`); nil in production.
    @_spi(FaultInjection) public let faults: DatabaseFaults?

    /// Options that matter for tests and scale-out.
    public struct Options: Sendable {
        /// Connections per event loop (the process has one loop per core).
        public var connectionsPerEventLoop: Int
        /// Postgres only: run in this schema (created if missing). Tests use one schema each.
        public var postgresSchema: String?
        public var busyTimeoutMilliseconds: Int
        /// How long a request waits for a free pooled connection before failing.
        public var connectionRequestTimeout: TimeAmount

        /// PostgreSQL: keep a LISTEN connection for `SessionChanges` (servers' session caches need it).
        public var listensForSessionChanges: Bool

        /// PostgreSQL: where that LISTEN connection goes (`DATABASE_LISTEN_URL`: directly or through a
        /// session-mode pooler, never a transaction-mode one); nil: where the pool goes.
        public var listenURL: DatabaseURL?

        /// PostgreSQL: how often the listener proves it hears session changes (tests shorten it).
        public var sessionChangesHeartbeat: Duration = SessionChangeListener.heartbeatInterval

        /// Run `PreparedRead`s as statements prepared once per connection: named prepared statements on
        /// PostgreSQL, statements kept on SQLite (`PREPARED_STATEMENTS=off`: never, e.g. behind a pooler
        /// that doesn't keep them per client).
        public var preparesStatements = true

        /// Tests only: faults to inject into this database's statements (ADR 0035). Nil everywhere else:
        /// no setting reaches it, and then no statement passes by it.
        @_spi(FaultInjection) public var faults: DatabaseFaults?

        public init(connectionsPerEventLoop: Int = 4, postgresSchema: String? = nil, busyTimeoutMilliseconds: Int = 5_000,
                    connectionRequestTimeout: TimeAmount = .seconds(10), listensForSessionChanges: Bool = true) {
            self.connectionsPerEventLoop = connectionsPerEventLoop
            self.postgresSchema = postgresSchema
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.connectionRequestTimeout = connectionRequestTimeout
            self.listensForSessionChanges = listensForSessionChanges
        }

        /// `DATABASE_POOL_SIZE`: connections for the whole process, spread over its event loops
        /// (the pool keeps one set per loop). nil keeps the default of 4 per loop.
        public init(poolSize: Int?, postgresSchema: String? = nil, listensForSessionChanges: Bool = true, preparesStatements: Bool = true) {
            let loops = System.coreCount
            self.init(connectionsPerEventLoop: poolSize.map { max(1, ($0 + loops - 1) / loops) } ?? 4,
                      postgresSchema: postgresSchema, listensForSessionChanges: listensForSessionChanges)
            self.preparesStatements = preparesStatements
        }
    }

    public static func connect(
        _ url: DatabaseURL,
        options: Options = .init(),
        logger: Logger = Logger(label: "drop.store")
    ) async throws -> Database {
        let group = MultiThreadedEventLoopGroup.singleton
        switch url {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let threads = NIOThreadPool(numberOfThreads: options.connectionsPerEventLoop * System.coreCount + 1)
            threads.start()
            let source = SQLiteFileSource(path: path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds, threadPool: threads)
            let pool = EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: options.connectionsPerEventLoop,
                requestTimeout: options.connectionRequestTimeout, pruneInterval: nil, logger: logger, on: group
            )
            let kept = options.preparesStatements
                ? SQLiteKeptStatements(path: path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds, threadPool: threads) : nil
            let database = Database(dialect: .sqlite, url: url, pool: .sqlite(.init(pool)), logger: logger,
                                    writeGate: WriteGate(), threadPool: threads, listener: nil, keptStatements: kept, faults: options.faults)
            do {
                // WAL is a property of the file, set once; the other pragmas are per connection (SQLiteFileSource).
                try await database.withConnection { try await $0.raw("PRAGMA journal_mode=WAL").run() }
            } catch {
                await database.shutdown()
                throw error
            }
            return database
        case .postgres(let raw):
            var configuration = try SQLPostgresConfiguration(url: raw)
            var listening: SQLPostgresConfiguration?
            if options.listensForSessionChanges {
                switch options.listenURL {
                case nil: listening = configuration  // LISTEN needs no search path
                case .postgres(let raw): listening = try SQLPostgresConfiguration(url: raw)
                case .sqlite: throw DatabaseURLError(message: "DATABASE_LISTEN_URL must be a postgres:// URL")
                }
            }
            if let schema = options.postgresSchema {
                try await Self.createSchema(schema, configuration: configuration, logger: logger, group: group)
                configuration.searchPath = [schema]
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: options.connectionsPerEventLoop,
                requestTimeout: options.connectionRequestTimeout, pruneInterval: .seconds(60), logger: logger, on: group
            )
            let listener = listening.map { _ in SessionChangeListener(heartbeatInterval: options.sessionChangesHeartbeat) }
            let database = Database(dialect: .postgres, url: url, pool: .postgres(.init(pool)), logger: logger, writeGate: nil, threadPool: nil,
                                    listener: listener, preparesStatements: options.preparesStatements, faults: options.faults)
            if let listener, let listening {
                // The heartbeat goes through the pool, as every change does.
                listener.start(configuration: listening, group: group, logger: logger) { [weak database] nonce in
                    try await database?.withConnection { try await SessionChanges.sendHeartbeat(nonce, on: $0) }
                }
            }
            return database
        }
    }

    private init(dialect: Dialect, url: DatabaseURL, pool: Pool, logger: Logger, writeGate: WriteGate?, threadPool: NIOThreadPool?,
                 listener: SessionChangeListener?, preparesStatements: Bool = false, keptStatements: SQLiteKeptStatements? = nil,
                 faults: DatabaseFaults?) {
        self.preparesStatements = preparesStatements
        self.faults = faults
        self.keptStatements = keptStatements
        self.dialect = dialect
        self.url = url
        self.pool = pool
        self.logger = logger
        self.writeGate = writeGate
        self.threadPool = threadPool
        self.listener = listener
    }

    /// Whether this process hears every session change as it commits, so a session cache may
    /// answer from memory: always on SQLite (one process), on PostgreSQL while its listener hears
    /// its own heartbeats (`SessionChangeListener`).
    public var hearsSessionChanges: Bool {
        switch dialect {
        case .sqlite: true
        case .postgres: listener?.live ?? false
        }
    }

    /// Runs `body` on one pooled connection, outside any transaction: reads, and writes that
    /// stand alone (each statement commits by itself).
    public func withConnection<T>(_ body: (DatabaseConnection) async throws -> T) async throws -> T {
        try await withConnection(preparing: true, body)
    }

    /// `preparing`: whether `PreparedRead`s run as prepared statements on PostgreSQL (not inside a transaction).
    private func withConnection<T>(preparing: Bool, _ body: (DatabaseConnection) async throws -> T) async throws -> T {
        // A span per statement only while the request or job is traced: one task-local read otherwise.
        let traced = InstrumentationContext.current?.activeTracer != nil
        switch pool {
        case .sqlite(let box):
            let connection = try await box.pool.requestConnection(logger: logger).get()
            defer { box.pool.releaseConnection(connection, logger: logger) }
            let session = SQLiteSession(connection: connection, base: connection.sql(queryLogLevel: .trace), kept: preparing ? keptStatements : nil)
            return try await body(self.session(session, traced: traced))
        case .postgres(let box):
            let connection = try await box.pool.requestConnection(logger: logger).get()
            defer { box.pool.releaseConnection(connection, logger: logger) }
            let session = PostgresSession(connection: connection, base: connection.sql(queryLogLevel: .trace), prepares: preparing && preparesStatements)
            return try await body(self.session(session, traced: traced))
        }
    }

    private func session(_ db: any SQLDatabase, traced: Bool) -> any SQLDatabase {
        let session = traced ? TracedSQLDatabase(base: db, system: dialect == .sqlite ? "sqlite" : "postgresql") : db
        guard let faults else { return session }
        return FaultySQLDatabase(base: session, faults: faults)
    }

    /// Runs one write that commits by itself (a single statement, atomic without BEGIN/COMMIT):
    /// on SQLite it queues at the write gate like a transaction, on PostgreSQL it is one round trip
    /// instead of three. Retried like a transaction on BUSY, deadlock or serialization failure.
    /// Several writes that must land together belong in `transaction`.
    @discardableResult
    public func singleWrite<T>(retries: Int = 5, _ body: (DatabaseConnection) async throws -> T) async throws -> T {
        try await writing { try await gated { try await retrying(retries) { try await withConnection(body) } } }
    }

    public enum Isolation: Sendable { case readCommitted, serializable }

    /// Runs `body` in one database transaction: all of its writes land, or none do.
    ///
    /// SQLite BUSY and Postgres serialization failures or deadlocks roll back and retry the whole
    /// body (up to `retries` times), so `body` must not do outside I/O such as HTTP calls.
    ///
    /// Any other error is thrown, and when it comes from the COMMIT itself (the connection lost on the
    /// way back) the transaction may have committed: the caller can't tell. Such an error is never an
    /// answer to act on: nothing outside is undone because of it, and whoever comes next reads what
    /// is there (ADR 0035; `DatabaseFaults` makes tests meet it).
    @discardableResult
    public func transaction<T>(
        isolation: Isolation = .readCommitted,
        retries: Int = 5,
        _ body: (DatabaseConnection) async throws -> T
    ) async throws -> T {
        try await writing { try await gated { try await runTransaction(isolation: isolation, retries: retries, body) } }
    }

    /// Around every write, a transaction or a single statement: none begins inside another (on
    /// SQLite it would wait for the gate its caller holds), and the sessions it changed are
    /// announced to every session cache once it has committed.
    private func writing<T>(_ write: () async throws -> T) async throws -> T {
        if let outer = TransactionScope.current, outer.database == ObjectIdentifier(self), outer.isOpen {
            throw NestedTransactionError()
        }
        let scope = TransactionScope(database: ObjectIdentifier(self))
        defer { scope.close() }
        let pending = SessionChanges.Pending()
        let result = try await TransactionScope.$current.withValue(scope) {
            try await SessionChanges.$pending.withValue(pending) { try await write() }
        }
        let changed = pending.changed
        if !changed.isEmpty {
            // Again after COMMIT: a read that raced the change may have cached the old state meanwhile.
            for userId in changed { SessionChanges.hub.publish(userId) }
            await listener?.awaitDelivery(of: pending.nonce)
        }
        return result
    }

    /// SQLite's writes queue at the write gate, one at a time; PostgreSQL's go straight on.
    private func gated<T>(_ write: () async throws -> T) async throws -> T {
        guard let writeGate else { return try await write() }
        await writeGate.acquire()
        do {
            let result = try await write()
            await writeGate.release()
            return result
        } catch {
            await writeGate.release()
            throw error
        }
    }

    private func runTransaction<T>(
        isolation: Isolation, retries: Int, _ body: (DatabaseConnection) async throws -> T
    ) async throws -> T {
        try await retrying(retries) {
            try await withConnection(preparing: false) { connection in
                try await connection.raw(SQLQueryString(beginStatement(isolation))).run()
                let db = AuditedTransaction(base: connection)
                do {
                    let result = try await body(db)
                    try await db.finish()
                    try await db.raw("COMMIT").run()
                    return result
                } catch {
                    // Straight to the connection: what the transaction still holds (ADR 0022) is
                    // dropped with it, never sent first, where its failure would stop the ROLLBACK.
                    try? await connection.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// Runs `work` again (up to `retries` times) when the database says the conflict was
    /// transient: SQLite BUSY, a PostgreSQL deadlock or serialization failure.
    private func retrying<T>(_ retries: Int, _ work: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await work()
            } catch where classifyDatabaseError(error) == .retryable && attempt < retries {
                attempt += 1
                // Short, growing, jittered pause so competing writers don't collide again in lockstep.
                let millis = Int.random(in: 5...20) * attempt
                try await Task.sleep(for: .milliseconds(millis))
            }
        }
    }

    private func beginStatement(_ isolation: Isolation) -> String {
        switch (dialect, isolation) {
        case (.sqlite, _): return "BEGIN IMMEDIATE"
        case (.postgres, .readCommitted): return "BEGIN"
        case (.postgres, .serializable): return "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }

    /// True when the database answers a trivial query.
    public func ping() async -> Bool {
        do {
            return try await withConnection { try await $0.raw("SELECT 1 AS one").first() != nil }
        } catch {
            return false
        }
    }

    public func shutdown() async {
        await listener?.stop()
        keptStatements?.close()
        switch pool {
        case .sqlite(let box): try? await box.pool.shutdownAsync()
        case .postgres(let box): try? await box.pool.shutdownAsync()
        }
        try? await threadPool?.shutdownGracefully()
    }

    private static func createSchema(
        _ schema: String, configuration: SQLPostgresConfiguration, logger: Logger, group: any EventLoopGroup
    ) async throws {
        guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.isEmpty else {
            throw DatabaseURLError(message: "schema name must be letters, digits and underscores")
        }
        let connection = try await PostgresConnectionSource(sqlConfiguration: configuration)
            .makeConnection(logger: logger, on: group.any()).get()
        // Identifiers can't be bound as parameters; the name was checked above.
        let result = await Result(catching: { try await connection.sql().raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: schema)").run() })
        try await connection.close().get()
        try result.get()
    }
}

/// The connection pools are internally synchronized (AsyncKit locks its storage) but not marked
/// `Sendable` in Swift 6 mode; these boxes state that guarantee once.
private enum Pool: Sendable {
    case sqlite(PoolBox<SQLiteFileSource>)
    case postgres(PoolBox<PostgresConnectionSource>)
}

private final class PoolBox<Source: ConnectionPoolSource>: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    init(_ pool: EventLoopGroupConnectionPool<Source>) { self.pool = pool }
}

/// Opens SQLite connections with the settings Drop relies on: foreign keys enforced, a busy
/// timeout so concurrent writers wait instead of failing, and NORMAL sync (safe with WAL).
struct SQLiteFileSource: ConnectionPoolSource {
    let path: String
    let busyTimeoutMilliseconds: Int
    let threadPool: NIOThreadPool

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
            .flatMap { connection in
                connection.query("PRAGMA foreign_keys = ON")
                    .flatMap { _ in connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)") }
                    .flatMap { _ in connection.query("PRAGMA synchronous = NORMAL") }
                    .map { _ in connection }
            }
    }
}

extension Result where Failure == any Error {
    /// Captures an async throwing call, so cleanup can run before the error is rethrown.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
