import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// The OP's remembered sign-ins (single sign-on), as a real provider keeps them: after a person
/// authenticates, the browser gets a cookie, and a later authorization request from it may
/// "continue as" that person without authenticating again. The ID token then carries the
/// original `auth_time` — which is why a relying party asking for a step-up sends `prompt=login`
/// (never reuse) and `max_age` (reuse only if recent), and checks `auth_time` itself.
final class BankIDSignInSessions: Sendable {
    struct Remembered: Sendable {
        let person: SandboxPerson
        let authenticatedAt: Date
        /// The level the person signed in at: a request for a higher one makes them sign in again.
        let assurance: BankIDAssuranceLevel
        let expiresAt: Date
    }

    static let cookieName = "bankid_sandbox_sso"
    static let lifetime: TimeInterval = 8 * 3600

    private let sessions = NIOLockedValueBox([String: Remembered]())

    /// Remembers a fresh authentication and returns the cookie's value.
    func remember(_ person: SandboxPerson, authenticatedAt: Date, assurance: BankIDAssuranceLevel) -> String {
        let token = BankIDBase64URL.randomToken()
        sessions.withLockedValue { sessions in
            sessions = sessions.filter { authenticatedAt < $0.value.expiresAt }
            sessions[token] = Remembered(person: person, authenticatedAt: authenticatedAt, assurance: assurance,
                                         expiresAt: authenticatedAt.addingTimeInterval(Self.lifetime))
        }
        return token
    }

    /// The remembered sign-in this browser may reuse for `authorization`, if any: none when the
    /// client asked for `prompt=login`, when it is older than the client's `max_age`, or at a lower
    /// level than the request's.
    func reusable(for request: Request, authorization: BankIDAuthorizationRequest, now: Date) -> Remembered? {
        guard !authorization.prompt.contains("login"),
              let token = request.cookies[Self.cookieName]?.value,
              let remembered = sessions.withLockedValue({ $0[token] }), now < remembered.expiresAt,
              remembered.assurance >= authorization.assurance else { return nil }
        if let maxAge = authorization.maxAge, now.timeIntervalSince(remembered.authenticatedAt) > TimeInterval(maxAge) { return nil }
        return remembered
    }

    static func setCookie(_ token: String, path: String) -> String {
        "\(cookieName)=\(token); Path=\(path.isEmpty ? "/" : path); Max-Age=\(Int(lifetime)); HttpOnly; SameSite=Lax"
    }
}
