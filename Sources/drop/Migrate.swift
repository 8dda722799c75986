import ArgumentParser
import DropAPI
import DropStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (safe to run twice, or from several processes at once).")

    func run() async throws {
        let config = Bootstrap.config()
        let logger = Bootstrap.logging(config)
        let database = try await Database.connect(config.database, logger: logger)
        let applied = try await Migrator().migrate(database, logger: logger)
        await database.shutdown()
        print(applied.isEmpty ? "Schema is current." : "Applied migrations: \(applied.map(String.init).joined(separator: ", "))")  // ok-print
    }
}
