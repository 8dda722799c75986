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
    if let keeper = services.newestPageKeeper { app.addServices(keeper) }
    return app
}

/// The router with its middleware and all routes; also used directly by route tests.
public func buildRouter(services: AppServices, features: [any AppFeature]) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routeTable = NIOLockedValueBox(RouteTable([]))
    // One middleware of two halves, each a fixed sequence of small steps, rather than ten layers: every
    // layer costs an async frame, a context copy and two executor hops per request (`RequestChain`).
    router.add(middleware: RequestChain(
        edge: EdgeMiddleware(
            clientAddress: services.config.clientAddressResolver,
            span: services.telemetry.tracer.map { RequestSpan(tracer: $0) },
            errors: ErrorResponder(routes: { routeTable.withLockedValue { $0 } }, renderPage: services.errorPageRenderer,
                                   errors: services.telemetry.errors),
            accessLog: AccessLog(metrics: services.metrics),
            securityHeaders: SecurityHeaders(strictTransportSecurity: services.config.environment != .development)),
        admission: AdmissionMiddleware(
            rateLimiter: RateLimiter(rules: services.config.rateLimits, counter: RateLimitCounter(database: services.database),
                                     authenticator: services.authenticator, clock: services.clock),
            bodyLimit: BodyLimit(maxBytes: services.config.maxBodyBytes),
            authentication: Authentication(authenticator: services.authenticator, csrf: services.csrf),
            stepUp: StepUp(policy: services.config.adminStepUp, database: services.database, clock: services.clock))))
    for feature in features {
        feature.addRoutes(to: router, services: services)
        feature.addJobs(to: services.jobs, services: services)
    }
    // The error middleware reads this to answer 405; filled once every route is registered.
    let table = RouteTable(router.routes.map { ($0.method.rawValue, $0.path.description) })
    routeTable.withLockedValue { $0 = table }
    return router
}

