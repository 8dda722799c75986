import ArgumentParser
import DropAPI
import DropStore
import Foundation

/// `drop payout-export <id>`: prints the pain.001 Drop sent the partner, for reconciliation or
/// to hand a batch over by another channel. Audited (`payout.exported`); gone once its retention ended.
struct PayoutExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout-export", abstract: "Print a payout batch's pain.001 XML (by payout id or message id).")

    @Argument(help: "The payout's id or its pain.001 message id.")
    var id: String

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func run() async throws {
        let config = Bootstrap.config()
        let services = try await AppServices.connect(config: config, logger: Bootstrap.logging(config))
        let operatorName = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        let xml: String
        do {
            // It names every receiver: audited as `payout.exported`, with the operator, as the API's download is.
            xml = try await services.payoutFiles.pain001(idOrMessageId: id, operatorName: operatorName)
            await services.database.shutdown()
        } catch let error as AppError {
            await services.database.shutdown()
            throw ValidationError(error.message)
        }
        if let output {
            try xml.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(xml)  // ok-print
        }
    }
}
