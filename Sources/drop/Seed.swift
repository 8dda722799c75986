import ArgumentParser
import DropAPI
import DropSandboxHosting

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the demo data of the sandbox persons (development only).")

    func run() async throws {
        let config = Bootstrap.config()
        guard !config.isProduction else {
            throw ValidationError("seed refuses to run in production")
        }
        let logger = Bootstrap.logging(config)
        let services = try await AppServices.connect(config: config, logger: logger)
        let created = try await DemoData.seed(services, features: apiFeatures + [SandboxFeature()])
        await services.database.shutdown()
        print("Seeded: \(created.isEmpty ? "nothing new" : created.joined(separator: ", "))")  // ok-print
    }
}
