import DropAPI
import DropSandboxHosting
import DropKit
import DropProviders
import DropSandbox
import DropStore
import DropTestSupport
import DropTestTools
import DropWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers

/// A test clock that only moves when told to.
final class TestClock: Sendable {
    private let now: NIOLockedValueBox<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { now = .init(start) }
    var date: Date { now.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { now.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.date } }

    /// A clock starting now, or at `DROP_TEST_NOW` (an ISO 8601 instant) when set: the suite run as if at
    /// that moment, e.g. a minute before midnight in Oslo, a month's last day or a clock change
    /// (docs/testing.md). Only the test's clock moves there; Drop and its sandboxes read time from it.
    static func startingNow() -> TestClock {
        guard let text = ProcessInfo.processInfo.environment["DROP_TEST_NOW"] else { return TestClock(Date()) }
        guard let start = ISO8601DateFormatter().date(from: text) else { fatalError("DROP_TEST_NOW is not an ISO 8601 instant: \(text)") }
        return TestClock(start)
    }
}

enum TestApp {
    private static let sharedBankIDKey = Result { try BankIDSandbox.makeSigningKeyPEM() }

    static func config(_ extra: [String: String] = [:]) throws -> AppConfig {
        let directory = TestScratch.path("data")
        // A test's clock is the test's own, not the host's (and the database's): workers don't compare them.
        var env = ["DROP_ENV": "test", "DROP_DATA_DIR": directory, "PORT": "0", "DROP_WORKER": "off", "JOB_MAX_CLOCK_SKEW_SECONDS": "off"]
        env.merge(extra) { $1 }
        // Every test's BankID sandbox signs with one key made once: making a key per sandbox was a
        // quarter of the suite's CPU time.
        try BankIDSandbox.installSigningKey(
            pem: try sharedBankIDKey.get(), inKeyDirectory: SandboxFeature.stateDirectory(dataDirectory: env["DROP_DATA_DIR"] ?? directory))
        return try AppConfig.load(environment: env)
    }

    static func services(
        database: Database, clock: TestClock = TestClock(),
        authenticator: (any RequestAuthenticator)? = nil, identityProvider: (any IdentityProvider)? = nil,
        providers: AppServices.Providers = AppServices.Providers(), config: AppConfig? = nil
    ) async throws -> AppServices {
        var logger = Logger(label: "drop.test")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        // Retries happen at once: tests count attempts, they don't wait 1 s, 2 s, 4 s.
        return await AppServices(config: try config ?? self.config(), database: database, clock: clock.function,
                                 authenticator: authenticator, identityProvider: identityProvider, providers: providers,
                                 retryPolicy: RetryPolicy(sleep: { _ in }),
                                 errorPageRenderer: WebFeature().errorPageRenderer, logger: logger)
    }

    /// Runs `body` against the full application (API + web) on a fresh database.
    static func test(
        _ framework: TestingSetup = .router,
        clock: TestClock = TestClock(),
        authenticator: (any RequestAuthenticator)? = nil,
        identityProvider: (any IdentityProvider)? = nil,
        extraFeatures: [any AppFeature] = [],
        _ body: @escaping @Sendable (any TestClientProtocol, AppServices) async throws -> Void
    ) async throws {
        try await TestDatabase.with { database in
            let services = try await services(database: database, clock: clock, authenticator: authenticator,
                                              identityProvider: identityProvider)
            let app = buildApplication(services: services, extraFeatures: [WebFeature(), SandboxFeature()] + extraFeatures)
            try await app.test(framework) { client in try await body(client, services) }
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// The body read as the app reads it, into DropKit's wire types (as `LiveServer.Reply.decode`).
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try DropClient.decoder.decode(type, from: Data(buffer: body))
    }
    /// The error envelope as the app reads it.
    var apiError: APIError {
        APIError.decode(status: Int(status.code), body: Data(buffer: body), retryAfter: nil)
    }
}
