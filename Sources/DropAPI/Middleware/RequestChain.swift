import Hummingbird

/// The one middleware Hummingbird runs before every route: `EdgeMiddleware`, then
/// `AdmissionMiddleware` (docs/architecture.md, "The request path").
///
/// One layer rather than two because a call into Hummingbird's chain is `@concurrent`: Swift hops to
/// the generic executor on the way in and back on the way out, and with async work on NIO's event
/// loops each hop is a job queued on the loop (ADRs 0016, 0017). Inside the module, functions run where
/// their caller runs (`NonisolatedNonsendingByDefault`), so the two halves call each other for free.
struct RequestChain: RouterMiddleware {
    typealias Context = AppRequestContext
    let edge: EdgeMiddleware
    let admission: AdmissionMiddleware

    @concurrent func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        // A connection's first request may start on the loop that accepted it; its work belongs on its own.
        await context.eventLoop.bringHome()
        return try await edge.handle(request, context: context) { request, context in
            try await admission.handle(request, context: context, next: next)
        }
    }
}
