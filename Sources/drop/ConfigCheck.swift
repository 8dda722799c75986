import ArgumentParser
import DropAPI
import Foundation

/// `drop config check [--production]`: what is set, what is missing and why, without a secret in sight.
struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect Drop's configuration.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting (secrets only as set/not set and their length) and every reason Drop would refuse to start.")

        @Flag(help: "Check the environment as DROP_ENV=production would.")
        var production = false

        func run() throws {
            let report = ConfigReport(environment: ProcessInfo.processInfo.environment, asProduction: production)
            print(report.text)  // ok-print
            if !report.problems.isEmpty { throw ExitCode.failure }
        }
    }
}
