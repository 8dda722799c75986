import DropCore

/// Ties a web sign-in to the browser that started it (login CSRF, OWASP): `start` sets a short-lived
/// cookie holding a hash of the OIDC state, and the callback completes only with it. Without it, an
/// attacker could start a sign-in as themselves and have a victim open the callback link, signing
/// the victim's browser into the attacker's account (and seeing what the victim then sends).
enum LoginBinding {
    static let cookieName = "drop_login"
    /// Sent only to the callback.
    static let path = "/v1/auth/bankid/callback"

    /// The cookie's value: the state's hash, so the cookie alone can't complete anything.
    static func value(for state: String) -> String {
        Hex.sha256(of: "login-binding:" + state)
    }

    static func matches(cookie: String?, state: String) -> Bool {
        guard let cookie else { return false }
        return ConstantTime.equal(cookie, value(for: state))
    }

    static func setCookie(state: String, secure: Bool) -> String {
        header(value(for: state), maxAge: Int(SignInService.loginLifetime), secure: secure)
    }

    /// Removes the cookie once the callback used it (or refused it).
    static func clearCookie(secure: Bool) -> String {
        header("", maxAge: 0, secure: secure)
    }

    private static func header(_ value: String, maxAge: Int, secure: Bool) -> String {
        "\(cookieName)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}
