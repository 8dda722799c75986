import DropCore
import Crypto
import Foundation
import Hummingbird

/// Cookie-authenticated writes must come from Drop's own origin: a same-origin `Origin` header,
/// or (for clients that send none) the `x-csrf-token` the web pages embed, derived from the session.
public struct CSRFProtection: Sendable {
    let allowedOrigin: @Sendable () -> String
    let key: SymmetricKey
    /// From `JWT_SECRET_PREVIOUS` during a rotation: forms rendered before the switch still submit.
    let previousKeys: [SymmetricKey]
    /// An HMAC already keyed with `key`: every page computes a token, and keying (hashing the key's
    /// two pads) is about half of the work. A copy carries on from it (HMAC is a value).
    private let keyed: HMAC<SHA256>

    /// `secrets`: current first, then the previous one during a rotation.
    public init(allowedOrigin: @escaping @Sendable () -> String, secrets: [String]) {
        self.allowedOrigin = allowedOrigin
        let keys = secrets.map { SymmetricKey(data: Data(("csrf:" + $0).utf8)) }
        self.key = keys.first ?? SymmetricKey(data: Data("csrf:".utf8))
        self.previousKeys = Array(keys.dropFirst())
        self.keyed = HMAC<SHA256>(key: key)
    }

    /// The token a page embeds in its forms for this session.
    public func token(for sessionId: String) -> String {
        var hmac = keyed
        hmac.update(data: Data(sessionId.utf8))
        return Data(hmac.finalize()).base64URLEncoded()
    }

    func check(_ request: Request, sessionId: String) throws {
        if let origin = request.headers[.origin] {
            guard origin == Self.origin(of: allowedOrigin()) else { throw Self.failure }
            return
        }
        guard let sent = request.headers[.xCSRFToken], isValid(sent, for: sessionId) else { throw Self.failure }
    }

    /// Whether `token` is this session's, under the current secret or the previous one.
    public func isValid(_ token: String, for sessionId: String) -> Bool {
        let mac = Data(base64URLEncoded: token) ?? Data()
        return ([key] + previousKeys).contains { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(sessionId.utf8), using: $0) }
    }

    static let failure = AppError(.forbidden, code: "FORBIDDEN", message: "This request did not come from a Drop page (CSRF check failed).")

    /// scheme://host[:port] of a URL.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return url }
        return components.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }
}

extension Data {
    public func base64URLEncoded() -> String {
        Base64URL.encode(self)
    }

    public init?(base64URLEncoded string: String) {
        var base64 = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
