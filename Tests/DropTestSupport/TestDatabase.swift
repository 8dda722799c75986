import DropStore
import Foundation
import Logging
import NIOCore

/// A fresh, migrated database for one test: a temporary SQLite file by default, or a schema of
/// its own in the PostgreSQL named by `TEST_DATABASE_URL` (the test command runs the suite both ways).
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
        var logger = Logger(label: "drop.test")
        logger.logLevel = .warning
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], url.hasPrefix("postgres") {
            let schema = "t_\(id)"
            let database = try await Database.connect(
                .postgres(url: url), options: .init(connectionsPerEventLoop: 2, postgresSchema: schema, connectionRequestTimeout: Self.patience), logger: logger)
            let test = TestDatabase(database: database) {
                await database.shutdown()
                try? await Database.dropSchema(schema, url: url)
            }
            if migrate { try await test.migrateOrCleanUp(logger: logger) }
            return test
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drop-tests").path
        let path = "\(directory)/\(id).db"
        let database = try await Database.connect(.sqlite(path: path), options: .init(connectionsPerEventLoop: 2, connectionRequestTimeout: Self.patience), logger: logger)
        let test = TestDatabase(database: database) {
            await database.shutdown()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        if migrate { try await test.migrateOrCleanUp(logger: logger) }
        return test
    }

    private init(database: Database, cleanup: @escaping @Sendable () async -> Void) {
        self.database = database
        self.cleanupAction = cleanup
    }

    public func cleanup() async { await cleanupAction() }

    private func migrateOrCleanUp(logger: Logger) async throws {
        do {
            try await Migrator().migrate(database, logger: logger)
        } catch {
            await cleanup()
            throw error
        }
    }

    /// Runs `body` with a fresh database and always cleans up after it.
    public static func with<T>(migrate: Bool = true, _ body: (Database) async throws -> T) async throws -> T {
        let test = try await make(migrate: migrate)
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
