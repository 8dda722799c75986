import DropCore
import Foundation

/// Where and how Drop hands over its email, from `SMTP_URL`:
///
/// - `smtp://user:password@mail.example.no:587`: STARTTLS, required (a server that doesn't offer it
///   gets nothing, so a stripped STARTTLS can't downgrade the session to clear text);
/// - `smtps://user:password@mail.example.no:465`: TLS from the first byte;
/// - `smtp://127.0.0.1:2525?tls=none`: clear text, for a relay on the same host only.
///
/// `?ca_file=/path/ca.pem` adds a private certificate authority to the system's trust roots.
/// User name and password are percent-decoded and are sent (AUTH PLAIN) only inside TLS or to loopback.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        case startTLS = "starttls"
        case implicitTLS = "tls"
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var caFile: String?

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, caFile: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
    }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init(url text: String) throws(Invalid) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw Invalid(description: "SMTP_URL must look like smtp://user:password@host:587")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        switch (scheme, query["tls"]) {
        case ("smtps", nil), ("smtps", "tls"): security = .implicitTLS
        case ("smtp", nil), ("smtp", "starttls"): security = .startTLS
        case ("smtp", "none"): security = .none
        default: throw Invalid(description: "SMTP_URL: use smtp:// (STARTTLS), smtps:// (TLS) or smtp://…?tls=none (loopback only)")
        }
        if security == .none, !Self.isLoopback(host) {
            throw Invalid(description: "SMTP_URL: ?tls=none is allowed only for a relay on this host (127.0.0.1, ::1, localhost)")
        }
        self.host = host
        port = url.port ?? (security == .implicitTLS ? 465 : 587)
        username = url.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        password = url.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        caFile = query["ca_file"].flatMap { $0.isEmpty ? nil : $0 }
        if username != nil, password == nil { throw Invalid(description: "SMTP_URL: a user name needs a password") }
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host.lowercased())
    }
}
