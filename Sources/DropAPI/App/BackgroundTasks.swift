import NIOConcurrencyHelpers
import ServiceLifecycle

/// Long-running loops that live as long as the server (e.g. a sandbox delivering its webhooks).
/// Features register them while routes are added; the application runs each as a service.
public final class BackgroundTasks: Sendable {
    private let tasks = NIOLockedValueBox<[(name: String, run: @Sendable () async -> Void)]>([])

    public init() {}

    public func add(_ name: String, _ run: @escaping @Sendable () async -> Void) {
        tasks.withLockedValue { $0.append((name, run)) }
    }

    var services: [any Service] {
        tasks.withLockedValue { $0.map { BackgroundTask(name: $0.name, body: $0.run) } }
    }
}

/// Runs a loop until the server shuts down.
struct BackgroundTask: Service {
    let name: String
    let body: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
    }
}
