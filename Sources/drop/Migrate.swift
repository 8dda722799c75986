import ArgumentParser
import DropAPI
import DropStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (safe to run twice, or from several processes at once).",
        discussion: """
            Each migration is its own transaction. On PostgreSQL a statement waits for a table's lock at most \
            --lock-timeout seconds (requests on that table queue behind a waiting schema change); the migration \
            is then tried again, --attempts times in all, before the command fails with nothing of it applied.
            """)

    @Option(help: "Seconds a migration's statement may wait for a lock on PostgreSQL.")
    var lockTimeout: Double = 5

    @Option(help: "How many times a migration is tried while other transactions hold its tables.")
    var attempts: Int = 5

    func validate() throws {
        guard lockTimeout > 0, lockTimeout <= 600 else { throw ValidationError("--lock-timeout must be between 0 and 600 seconds.") }
        guard (1...100).contains(attempts) else { throw ValidationError("--attempts must be between 1 and 100.") }
    }

    func run() async throws {
        let config = Bootstrap.config()
        let logger = Bootstrap.logging(config)
        let database = try await Database.connect(config.database, logger: logger)
        let migrator = Migrator(lockTimeout: .milliseconds(Int64(lockTimeout * 1000)), lockAttempts: attempts)
        let applied: [Int]
        do {
            applied = try await migrator.migrate(database, logger: logger)
        } catch let error as MigrationLockTimeout {
            await database.shutdown()
            throw ValidationError(error.description)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
        print(applied.isEmpty ? "Schema is current." : "Applied migrations: \(applied.map(String.init).joined(separator: ", "))")  // ok-print
    }
}
