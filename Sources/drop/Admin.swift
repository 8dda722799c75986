import ArgumentParser
import DropAPI
import Foundation

/// `drop admin grant|revoke --national-id … --operator <name>`: who may work the AML queue and the audit log.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grant or revoke a customer's admin role (audited; works in production).",
        subcommands: [Grant.self, Revoke.self])

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a customer who has signed in once an admin.")
        @OptionGroup var person: Person
        func run() async throws { try await person.setAdmin(true) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a customer's admin role away.")
        @OptionGroup var person: Person
        func run() async throws { try await person.setAdmin(false) }
    }

    struct Person: ParsableArguments {
        @Option(help: "The customer's national identity number (11 digits; `-` reads it from standard input, out of the shell history).")
        var nationalId: String

        @Option(name: .customLong("operator"), help: "Who you are, for the audit log (or DROP_OPERATOR).")
        var operatorName: String?

        func validate() throws {
            guard OperatorName.from(option: operatorName) != nil else {
                throw ValidationError(OperatorName.missing)
            }
        }

        func setAdmin(_ granted: Bool) async throws {
            let number = nationalId == "-" ? (readLine(strippingNewline: true) ?? "") : nationalId
            let config = Bootstrap.config()
            let services = try await AppServices.connect(config: config, logger: Bootstrap.logging(config))
            let operatorName = OperatorName.from(option: operatorName) ?? ""
            do {
                let result = try await services.adminRoles.setAdmin(nationalId: number, granted: granted, operatorName: operatorName)
                await services.database.shutdown()
                // The id only: the number is personal data and never printed.
                print("User \(result.userId) now has role \(result.role.rawValue).")  // ok-print
            } catch let failure as AdminRoleService.Failure {
                await services.database.shutdown()
                FileHandle.standardError.write(Data("\(failure.description)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
