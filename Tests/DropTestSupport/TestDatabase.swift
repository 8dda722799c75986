@_spi(FaultInjection) import DropStore
import DropTestTools
import Foundation
import Logging
import NIOCore

/// A fresh, migrated database for one test: a temporary SQLite file by default, or a database of
/// its own in the PostgreSQL named by `TEST_DATABASE_URL` (the test command runs the suite both ways).
/// Each is a copy of a template migrated once (`MigratedTemplate`), not migrated again per test.
public struct TestDatabase: Sendable {
    public let database: Database
    private let cleanupAction: @Sendable () async -> Void

    public static var isPostgres: Bool {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]?.hasPrefix("postgres") == true
    }

    /// The whole suite runs in parallel on a small machine: waiting for a pooled connection may
    /// take longer than a server would tolerate, without anything being wrong.
    static let patience: TimeAmount = .seconds(60)

    public static func make(migrate: Bool = true) async throws -> TestDatabase {
        try await make(migrate: migrate, faults: nil)
    }

    /// `faults`: a test's injected database faults (`DatabaseFaults`, ADR 0035); nil for every other test.
    @_spi(FaultInjection) public static func make(migrate: Bool = true, faults: DatabaseFaults?) async throws -> TestDatabase {
        var logger = Logger(label: "drop.test")
        logger.logLevel = .warning
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        if let server = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], server.hasPrefix("postgres") {
            let name = "t_\(id)"
            let template = migrate ? try await MigratedTemplate.shared.postgres(server: server, logger: logger) : nil
            try await PostgresDatabases.create(name, template: template, serverURL: server)
            let database: Database
            do {
                database = try await Database.connect(.postgres(url: try PostgresDatabases.url(server, database: name)),
                                                      options: options(faults), logger: logger)
            } catch {
                try? await PostgresDatabases.drop(name, serverURL: server)
                throw error
            }
            return TestDatabase(database: database) {
                await database.shutdown()
                try? await PostgresDatabases.drop(name, serverURL: server)
            }
        }
        let directory = Self.sqliteDirectory
        let path = "\(TestScratch.root)/\(id).db"
        if migrate {
            try FileManager.default.copyItem(atPath: try await MigratedTemplate.shared.sqlite(directory: directory, logger: logger), toPath: path)
        }
        let database = try await Database.connect(.sqlite(path: path), options: options(faults), logger: logger)
        return TestDatabase(database: database) {
            await database.shutdown()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    private static func options(_ faults: DatabaseFaults?) -> Database.Options {
        var options = Database.Options(connectionsPerEventLoop: 2, connectionRequestTimeout: Self.patience)
        options.faults = faults
        return options
    }

    static var sqliteDirectory: String { FileManager.default.temporaryDirectory.appendingPathComponent("drop-tests").path }

    private init(database: Database, cleanup: @escaping @Sendable () async -> Void) {
        self.database = database
        self.cleanupAction = cleanup
    }

    public func cleanup() async { await cleanupAction() }

    /// Runs `body` with a fresh database and always cleans up after it.
    public static func with<T>(migrate: Bool = true, _ body: (Database) async throws -> T) async throws -> T {
        try await with(migrate: migrate, faults: nil, body)
    }

    /// `with`, on a database with `faults` (ADR 0035).
    @_spi(FaultInjection) public static func with<T>(migrate: Bool = true, faults: DatabaseFaults?, _ body: (Database) async throws -> T) async throws -> T {
        let test = try await make(migrate: migrate, faults: faults)
        do {
            let result = try await body(test.database)
            await test.cleanup()
            return result
        } catch {
            await test.cleanup()
            throw error
        }
    }
}
