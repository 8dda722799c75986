import ArgumentParser
import DropAPI
import DropStore

/// `drop identity-keys status`: how far a `PID_PEPPER` / `PID_ENCRYPTION_KEY` rotation has got (ADR 0034).
struct IdentityKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity-keys",
        abstract: "Inspect the keys behind customers' national identity numbers.",
        subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count customers' rows under the current, previous and unknown key and pepper, and say when the previous values can go.",
            discussion: "Counts only: no number, hash or secret is printed. Exits 1 while a row names a key or pepper Drop doesn't have.")

        func run() async throws {
            let config = Bootstrap.config()
            let logger = Bootstrap.logging(config)
            let database = try await Database.connect(config.database, logger: logger)
            let report: String, lost: Bool
            do {
                let census = try await IdentityKeyGuard(database: database, secrets: config.secrets, logger: logger).census()
                (report, lost) = (census.report, census.underUnknownKeys > 0)
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            print(report)  // ok-print
            if lost { throw ExitCode.failure }
        }
    }
}
