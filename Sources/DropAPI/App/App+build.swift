import DropStore
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Builds Drop's HTTP application: the middleware chain of docs/architecture.md, "The request path", then every feature's routes.
/// `extraFeatures` are slices from other modules (the web app) mounted after the API's.
public func buildApplication(
    services: AppServices,
    extraFeatures: [any AppFeature] = [],
    runWorker: Bool? = nil,
    onReady: @escaping @Sendable (_ url: String) -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(services: services, features: apiFeatures + extraFeatures)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(services.config.host, port: services.config.port), serverName: "Drop"),
        onServerRunning: { channel in
            if let port = channel.localAddress?.port { services.publicBaseURL.serverBound(port: port) }
            services.logger.info("Drop is listening", metadata: ["url": .string(services.publicBaseURL.url)])
            onReady(services.publicBaseURL.url)
        },
        logger: services.logger
    )
    if runWorker ?? services.config.runsWorker {
        app.addServices(JobWorker(services: services))
    }
    for task in services.background.services { app.addServices(task) }
    return app
}

/// The router with its middleware and all routes; also used directly by route tests.
public func buildRouter(services: AppServices, features: [any AppFeature]) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routeTable = NIOLockedValueBox(RouteTable([]))
    // One statically composed stack (Hummingbird's fixed-type builder) rather than ten `add(middleware:)`
    // calls, which chain through an existential and a closure per layer: bench/README.md, "Middleware".
    router.addMiddleware {
        // First: everything after it (logs, rate limits, PSU-IP-Address) sees the real client.
        ClientAddressMiddleware(resolver: services.config.clientAddressResolver)
        RequestIDMiddleware()
        // Right after the request id: the span covers the rest of the chain and every log line gets its trace id.
        if let tracer = services.telemetry.tracer { TraceMiddleware(tracer: tracer) }
        SecurityHeadersMiddleware(strictTransportSecurity: services.config.environment != .development)
        AccessLogMiddleware(metrics: services.metrics)
        ErrorEnvelopeMiddleware(routes: { routeTable.withLockedValue { $0 } }, renderPage: services.errorPageRenderer,
                                errors: services.telemetry.errors)
        RateLimitMiddleware(
            rules: services.config.rateLimits, counter: RateLimitCounter(database: services.database),
            authenticator: services.authenticator, clock: services.clock)
        BodyLimitMiddleware(maxBytes: services.config.maxBodyBytes)
        AuthenticationMiddleware(authenticator: services.authenticator, csrf: services.csrf)
        StepUpMiddleware(policy: services.config.adminStepUp, database: services.database, clock: services.clock)
    }
    for feature in features {
        feature.addRoutes(to: router, services: services)
        feature.addJobs(to: services.jobs, services: services)
    }
    // The error middleware reads this to answer 405; filled once every route is registered.
    let table = RouteTable(router.routes.map { ($0.method.rawValue, $0.path.description) })
    routeTable.withLockedValue { $0 = table }
    return router
}

