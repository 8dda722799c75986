import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A stand-in for an OpenTelemetry collector and an error tracker: it accepts OTLP/HTTP JSON at
/// `/v1/traces` and `/v1/metrics` and Sentry envelopes at `/api/{project}/envelope/`, and keeps what arrived.
struct TelemetryReceiver: Sendable {
    struct Delivery: Sendable {
        let path: String
        let headers: [String: String]
        let body: Data
    }

    let url: String
    private let received: NIOLockedValueBox<[Delivery]>

    var deliveries: [Delivery] { received.withLockedValue { $0 } }

    /// Every span of every OTLP export so far; an export a collector couldn't read throws.
    func spans() throws -> [OTLPExport.Span] {
        try deliveries.filter { $0.path == "/v1/traces" }.flatMap { try OTLPExport.decode(OTLPExport.Traces.self, $0.body).spans }
    }

    /// The newest OTLP metrics export, if one came.
    func latestMetrics() throws -> OTLPExport.Metrics? {
        try deliveries.last { $0.path == "/v1/metrics" }.map { try OTLPExport.decode(OTLPExport.Metrics.self, $0.body) }
    }

    var envelopes: [Delivery] { deliveries.filter { $0.path.hasSuffix("/envelope/") } }

    static func run(_ body: @Sendable (TelemetryReceiver) async throws -> Void) async throws {
        let received = NIOLockedValueBox<[Delivery]>([])
        let router = Router()
        let keep: @Sendable (Request) async throws -> Response = { request in
            let bytes = try await request.body.collect(upTo: 16 * 1024 * 1024)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            received.withLockedValue { $0.append(Delivery(path: request.uri.path, headers: headers, body: Data(buffer: bytes))) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        router.post("/v1/traces") { request, _ in try await keep(request) }
        router.post("/v1/metrics") { request, _ in try await keep(request) }
        router.post("/api/:project/envelope/") { request, _ in try await keep(request) }
        try await LocalServer.run(router) { url in try await body(TelemetryReceiver(url: url, received: received)) }
    }
}

/// A Hummingbird router listening on a free loopback port while `body` runs: a stand-in for an outside party.
enum LocalServer {
    static func run(_ router: Router<BasicRequestContext>, _ body: @Sendable (_ url: String) async throws -> Void) async throws {
        // Port 0: the system picks a free port as it binds, so no other connection can take it first.
        let ready = AsyncStream.makeStream(of: Int?.self)
        var logger = Logger(label: "drop.test.local-server")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port) }, logger: logger)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { ready.continuation.finish() }
                try await group.run()
            }
            var bound: Int?
            for await port in ready.stream {
                bound = port
                break
            }
            guard let port = bound else {
                try await tasks.waitForAll()
                throw LiveServer.DidNotStart(reason: "the local server stopped before it listened")
            }
            do {
                try await body("http://127.0.0.1:\(port)")
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
