import DropCore
import Hummingbird

/// Sets `context.clientIP` before anything reads it (rate limits, `PSU-IP-Address` sent to banks):
/// the peer, or behind our own proxies the address they saw, from `Forwarded` or else
/// `X-Forwarded-For` (`ClientAddressResolver`).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let resolver: ClientAddressResolver

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientIP = resolver.clientAddress(peer: context.clientIP, forwarded: request.headers[values: .forwarded],
                                                  forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}
