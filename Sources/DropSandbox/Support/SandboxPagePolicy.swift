import HTTPTypes
import Hummingbird

/// A sandbox stands for another party's site (a bank's approval page, BankID, Sumsub), so its pages
/// carry that party's content policy, not Drop's. Drop's `form-action 'self'` would hold the sandbox's
/// own forms, which post and are then sent back to Drop, to the sandbox's origin: on a second origin,
/// as the real parties are, the browser would refuse the way back. Drop's edge adds its policy only
/// to answers that have none (`SecurityHeaders`).
public struct SandboxPagePolicy<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        [
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
            "font-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.policy }
        return response
    }
}
