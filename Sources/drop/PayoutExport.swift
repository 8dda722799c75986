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

    @Option(name: .shortAndLong, help: "Write to this file (readable by you only) instead of standard output.")
    var output: String?

    @Option(name: .customLong("operator"), help: "Who you are, for the audit log (or DROP_OPERATOR).")
    var operatorName: String?

    func validate() throws {
        guard OperatorName.from(option: operatorName) != nil else {
            throw ValidationError(OperatorName.missing)
        }
    }

    func run() async throws {
        let config = Bootstrap.config()
        let services = try await AppServices.connect(config: config, logger: Bootstrap.logging(config))
        let operatorName = OperatorName.from(option: operatorName) ?? ""
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
            try PayoutFileService.save(xml, toFile: output)
        } else {
            print(xml)  // ok-print
        }
    }
}
