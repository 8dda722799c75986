import DropCore
import Foundation

/// Which browser or phone a sign-in comes from, so a sign-in from one never seen before can be
/// told to the customer (the notification `account.new_sign_in`, also mailed). A browser gets a
/// random id in the long-lived `drop_device` cookie, sent only to the sign-in callback; the app
/// sends the id it keeps with the code exchange. Only the id's SHA-256 is stored, and an id that
/// is not 32 random bytes in base64url is treated as no id (a fresh one is set). A sign-in with no
/// id at all, from a browser or from the app, is from a device Drop hasn't seen, and is told.
enum SignInDevice {
    static let cookieName = "drop_device"
    /// About 400 days, the longest browsers keep a cookie.
    static let cookieLifetime = 400 * 86_400

    static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 43 && Base64URL.decode(id)?.count == 32
    }

    /// 256 random bits in base64url: the same kind of value as a PKCE verifier.
    static func newID() -> String { PKCE.randomToken() }

    /// The id the browser or app sent if it is one, otherwise a new one: leaving the id out must not
    /// keep a sign-in from a stranger's device from being told.
    static func sentOrNew(_ sent: String?) -> String {
        sent.flatMap { isWellFormed($0) ? $0 : nil } ?? newID()
    }

    static func setCookie(_ id: String, secure: Bool) -> String {
        "\(cookieName)=\(id); Path=\(LoginBinding.path); Max-Age=\(cookieLifetime); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    static func hash(_ id: String) -> String { Hex.sha256(of: "sign-in-device:" + id) }
}
