import ArgumentParser
import DropAPI
import DropSandboxHosting
import DropWeb
import Foundation
import Hummingbird
import NIOPosix

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Drop: the API, the web app, the background worker and (outside production) the sandboxes.")

    func run() async throws {
        let config = Bootstrap.config()
        let missing = ShippedResources.problems([ShippedResources.api, WebFeature.resources])
        guard missing.isEmpty else {
            FileHandle.standardError.write(Data(ConfigError(problems: missing).description.utf8 + Data("\n".utf8)))
            throw ExitCode.failure
        }
        let logger = Bootstrap.logging(config)
        // Where this task runs says whether the switch in `Drop.main` took (ADR 0016).
        let tasks = MultiThreadedEventLoopGroup.currentEventLoop == nil ? "swift-thread-pool" : "event-loops"
        logger.info("Drop is starting", metadata: ["tasks": .string(tasks)])
        let services = try await AppServices.connect(config: config, logger: logger)
        let web = WebFeature()
        let sandboxes = SandboxFeature()
        var configured = services
        configured.errorPageRenderer = web.errorPageRenderer
        try await sandboxes.startMailSandbox(for: &configured)
        if config.environment == .development {
            try await DemoData.seedIfEmpty(configured, features: apiFeatures + [sandboxes])
        }
        // Before it listens: what the customers signed in lately ask for first, read into memory (ADR 0028).
        _ = await WarmStart(services: configured, newestPayments: WebFeature.newestPaymentsOnDashboard).run()
        // Outside production the simulated banks, BankID, Sumsub, partner and rate feed are mounted
        // too (the feature checks, and production refuses to start with them enabled).
        let app = buildApplication(services: configured, extraFeatures: [web, sandboxes]) { url in
            // The one line a newcomer needs; logs go to stderr as JSON.
            // Written unbuffered, so it shows at once even when stdout is a pipe.
            FileHandle.standardOutput.write(Data("Drop is running at \(url)  (Ctrl-C to stop)\n".utf8))
            if sandboxes.sandboxes.mail != nil {
                FileHandle.standardOutput.write(Data("Email it sends is at \(url)/sandbox/mail\n".utf8))
            }
        }
        try await app.runService()
        await sandboxes.sandboxes.mail?.stop()
        await services.telemetry.shutdown()
        await services.database.shutdown()
    }
}
