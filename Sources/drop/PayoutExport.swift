import ArgumentParser
import DropAPI
import DropStore
import Foundation

/// `drop payout-export <id>`: prints the pain.001 Drop sent the partner, for reconciliation or
/// to hand a batch over by another channel.
struct PayoutExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout-export", abstract: "Print a payout batch's pain.001 XML (by payout id or message id).")

    @Argument(help: "The payout's id or its pain.001 message id.")
    var id: String

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func run() async throws {
        let config = Bootstrap.config()
        let logger = Bootstrap.logging(config)
        let database = try await Database.connect(config.database, logger: logger)
        let xml = try await database.withConnection { db in
            try await PayoutRepository.pain001(idOrMessageId: id, on: db)
        }
        await database.shutdown()
        guard let xml else { throw ValidationError("No payout \(id).") }
        if let output {
            try xml.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(xml)  // ok-print
        }
    }
}
