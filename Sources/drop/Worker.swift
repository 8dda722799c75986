import ArgumentParser
import DropAPI
import DropWeb
import ServiceLifecycle

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run only the background worker (jobs are shared safely with any number of servers and workers).")

    func run() async throws {
        let config = Bootstrap.config()
        let logger = Bootstrap.logging(config)
        let services = try await AppServices.connect(config: config, logger: logger)
        // Registering the features' routes also registers their jobs; no port is opened.
        _ = buildRouter(services: services, features: apiFeatures + [WebFeature()])
        let group = ServiceGroup(services: [JobWorker(services: services)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        await services.telemetry.shutdown()
        await services.database.shutdown()
    }
}
