import DropCore
import DropStore
import Foundation
import Hummingbird

/// Admin writes need a recent BankID authentication (issue #14: step-up). Judged after
/// authentication for every route (`AdmissionMiddleware`), so an admin route added later is covered
/// without opting in; it judges only admins, leaving anonymous callers and other roles to
/// `RequireRole` (401, 403). Reads (GET, HEAD, OPTIONS, and the customer lookups posted to keep a
/// national identity number out of the URL) stay open on an older session.
public struct StepUp: Sendable {
    let policy: StepUpPolicy
    let database: Database
    let clock: @Sendable () -> Date

    static let adminPrefix = "/v1/admin"
    /// The compliance console's pages (DropWeb): the same rule, answered with a redirect to BankID.
    static let consolePrefix = "/admin"
    /// Customer lookups posted only so that a national identity number stays out of the URL: reads,
    /// open on an older session like every other read.
    static let lookups: Set<String> = ["/v1/admin/users/search", "/admin/customers"]
    /// Where the client sends the admin to authenticate again.
    static let stepUpPath = "/v1/auth/bankid/start?step_up=true"

    /// Nil when the request may go on; throws `STEP_UP_REQUIRED` for the API, and answers a console
    /// form with the way to BankID and back.
    func refusal(_ request: Request, context: AppRequestContext) async throws -> Response? {
        guard let identity = context.identity, identity.role == .admin,
              !Authentication.safeMethods.contains(request.method) else { return nil }
        // Matched like the rate limits, so `//v1/admin/…` or `/v1/%61dmin/…` can't slip past.
        let path = NormalisedPath.of(request.uri.path)
        let console = Self.isUnder(Self.consolePrefix, path)
        guard console || Self.isUnder(Self.adminPrefix, path), !Self.lookups.contains(path) else { return nil }
        let now = clock()
        if policy.isFresh(authenticatedAt: identity.authenticatedAt, now: now) { return nil }
        try await auditRefusal(identity, method: request.method.rawValue, path: path, requestID: context.requestID, now: now)
        guard console else { throw Self.stepUpRequired(maxAge: policy.maxAge) }
        // A console form: BankID again, then back to the page the form was on to confirm the action.
        let back = Self.consolePage(referer: request.headers[.referer]) ?? Self.consolePrefix
        return Response(status: .seeOther, headers: [.location: Self.webStepUp(back: back), .cacheControl: "no-store"])
    }

    /// Where a web form sends the person for a fresh BankID sign-in, and back to `path` (on Drop) after it:
    /// the web's `/step-up` page, which goes on to `bankIDStart(back:)`. Not the BankID start itself: that
    /// redirects on to BankID, and browsers hold a form's redirects to CSP `form-action 'self'`.
    public static func webStepUp(back path: String) -> String {
        "/step-up?redirect=\(encoded(path))"
    }

    /// Drop's BankID start for a fresh sign-in that comes back to `path` (on Drop).
    public static func bankIDStart(back path: String) -> String {
        "\(stepUpPath)&redirect=\(encoded(path))"
    }

    static func encoded(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_."))) ?? "%2F"
    }

    static func isUnder(_ prefix: String, _ path: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }

    /// The console page a form was posted from (the referer's path), if it is one.
    static func consolePage(referer: String?) -> String? {
        guard let referer, let url = URL(string: referer) else { return nil }
        let path = NormalisedPath.of(url.path)
        return isUnder(consolePrefix, path) ? path : nil
    }

    /// RFC 9470's challenge, in the standard envelope with what to do next.
    static func stepUpRequired(maxAge: Int, what: String = "Admin actions") -> AppError {
        AppError(.unauthorized, code: "STEP_UP_REQUIRED",
                 message: "\(what) need a BankID sign-in from the last \(maxAge) seconds. Sign in with BankID again (step-up) and retry.",
                 details: [ErrorDetail(field: nil, issue: "max_age", message: "\(maxAge)"),
                           ErrorDetail(field: nil, issue: "step_up", message: stepUpPath)],
                 headers: [.wwwAuthenticate: #"Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age=\#(maxAge)"#,
                           .cacheControl: "no-store"])
    }

    /// Who was refused what, by session; no personal data (ids and the route only).
    func auditRefusal(_ identity: Identity, method: String, path: String, requestID: String, now: Date) async throws {
        let data = ["method": method, "path": String(path.prefix(200)), "maxAge": String(policy.maxAge)]
        try await database.transaction { db in
            try await AuditLog.append(AuditEntry(actor: .admin(id: identity.userId), action: "admin.step_up_required", entityType: "session",
                                                 entityId: identity.sessionId, data: data, requestId: requestID.isEmpty ? nil : requestID),
                                      at: now, on: db)
        }
    }
}
