import DropStore
import Foundation
import Logging

/// A database with every migration applied, made once and copied for each test: migrating took a
/// noticeable share of the suite's time, on PostgreSQL most of the server's. The template's name
/// carries a fingerprint of the migrations' statements, so a changed migration makes a new one and
/// a template left from an earlier run of the same code is used again.
actor MigratedTemplate {
    static let shared = MigratedTemplate()

    private var sqliteTemplate: Task<String, any Error>?
    private var postgresTemplate: Task<String, any Error>?

    /// The path of a migrated SQLite file in `directory`, to copy.
    func sqlite(directory: String, logger: Logger) async throws -> String {
        let task = sqliteTemplate ?? Task { try await Self.makeSQLite(directory: directory, logger: logger) }
        sqliteTemplate = task
        return try await task.value
    }

    /// The name of a migrated database on the server `server` names, to use as a template.
    func postgres(server: String, logger: Logger) async throws -> String {
        let task = postgresTemplate ?? Task { try await Self.makePostgres(server: server, logger: logger) }
        postgresTemplate = task
        return try await task.value
    }

    /// FNV-1a over every statement of every migration, in order.
    static let fingerprint: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for migration in Migration.all {
            let statements = migration.statements(for: .sqlite) + migration.statements(for: .postgres)
            for byte in "\(migration.version)\u{0}\(statements.joined(separator: "\u{0}"))\u{1}".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }()

    /// Applies every migration and closes the database, also when one fails. Closing SQLite's last
    /// connection folds the write-ahead log into the file; a PostgreSQL template must have no sessions.
    private static func migrate(_ url: DatabaseURL, options: Database.Options, logger: Logger) async throws {
        let database = try await Database.connect(url, options: options, logger: logger)
        do {
            try await Migrator().migrate(database, logger: logger)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    private static func makeSQLite(directory: String, logger: Logger) async throws -> String {
        let path = "\(directory)/template-\(fingerprint).db"
        if FileManager.default.fileExists(atPath: path) { return path }
        // Built aside and moved into place, so a test process never copies half a template.
        let building = "\(directory)/template-\(UUID().uuidString).building"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: building + suffix) } }
        try await migrate(.sqlite(path: building), options: .init(connectionsPerEventLoop: 1), logger: logger)
        guard rename(building, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return path
    }

    private static func makePostgres(server: String, logger: Logger) async throws -> String {
        let name = "drop_test_template_\(fingerprint)"
        if try await PostgresDatabases.exists(name, serverURL: server) { return name }
        let building = "drop_test_building_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await PostgresDatabases.create(building, serverURL: server)
        do {
            try await migrate(.postgres(url: try PostgresDatabases.url(server, database: building)),
                              options: .init(connectionsPerEventLoop: 1, listensForSessionChanges: false), logger: logger)
            try await PostgresDatabases.rename(building, to: name, serverURL: server)
        } catch {
            try? await PostgresDatabases.drop(building, serverURL: server)
            // Another test process may have made the same template in the meantime.
            if try await PostgresDatabases.exists(name, serverURL: server) { return name }
            throw error
        }
        return name
    }
}
