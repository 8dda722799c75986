import Foundation
import Hummingbird

/// The hook identity plugs into: turns a request's credential (cookie or bearer token) into an
/// `Identity`, or nil when there is none. Throwing means the credential was present but bad.
public protocol RequestAuthenticator: Sendable {
    func authenticate(_ request: Request, context: AppRequestContext) async throws -> Identity?
}

/// No sign-in configured: every request is anonymous.
public struct AnonymousAuthenticator: RequestAuthenticator {
    public init() {}
    public func authenticate(_ request: Request, context: AppRequestContext) async throws -> Identity? { nil }
}

/// Resolves the caller (unless the rate limiter already did) and, for writes authenticated by the
/// browser cookie, checks that they come from Drop's own pages (CSRF; `AdmissionMiddleware`).
struct Authentication: Sendable {
    let authenticator: any RequestAuthenticator
    let csrf: CSRFProtection

    func admit(_ request: Request, context: inout AppRequestContext) async throws {
        if Self.servesEveryone(request.uri.path) { return }
        if !context.authenticated {
            context.identity = try await authenticator.authenticate(request, context: context)
            context.authenticated = true
        }
        if let identity = context.identity, identity.transport == .cookie,
           !Self.safeMethods.contains(request.method) || Self.changesStateWhenRead(request.uri.path) {
            try csrf.check(request, sessionId: identity.sessionId)
        }
    }

    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]

    /// A GET that is not safe: the data export hands over everything and writes `gdpr.exported`, so a link
    /// or a page on another site (the cookie goes with a top-level GET) must not start it for a signed-in
    /// customer. The app's bearer token is never sent by a browser on its own; the web downloads by a form.
    /// Matched as the router resolves the path, so `//v1/gdpr/export` or `/v1/gdpr/%65xport` can't slip past.
    static func changesStateWhenRead(_ path: String) -> Bool {
        NormalisedPath.of(path) == "/v1/gdpr/export"
    }

    /// Paths whose answer is the same whoever asks, so a credential sent with them is not looked at:
    /// - the probes: a crowd of signed-in customers would otherwise make a restarted process check
    ///   every session on `/health` before it had served a single page;
    /// - `/metrics`: the scraper's bearer token is METRICS_TOKEN, not a session, and the route checks it;
    /// - the page assets, which a browser fetches with the cookie;
    /// - the sandboxes, other companies that happen to share the port, to whom Drop's sessions and
    ///   CSRF rules don't apply.
    static func servesEveryone(_ path: String) -> Bool {
        switch path {
        case "/health", "/ready", "/metrics": true
        default: path.hasPrefix("/assets/") || path.hasPrefix("/sandbox/")
        }
    }
}

/// Requires a signed-in caller with one of `roles` on every route of a group.
public struct RequireRole: RouterMiddleware {
    public typealias Context = AppRequestContext
    let roles: Set<Identity.Role>

    public init(_ roles: Identity.Role...) {
        self.roles = Set(roles)
    }

    @concurrent public func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = context.identity else { throw AppError.unauthenticated }
        // Admins may use every role's routes; merchants are users too.
        let effective: Set<Identity.Role> = switch identity.role {
        case .admin: [.admin, .merchant, .user]
        case .merchant: [.merchant, .user]
        case .user: [.user]
        }
        guard !roles.isDisjoint(with: effective) else { throw AppError.forbidden }
        return try await next(request, context)
    }
}
