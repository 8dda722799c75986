import Foundation

/// A Sentry DSN, `https://<public key>@<host>[:port][/<path>]/<project id>`, and the envelope
/// endpoint it names (`<scheme>://<host>[:port][/<path>]/api/<project id>/envelope/`).
public struct SentryDSN: Sendable, Equatable {
    public let publicKey: String
    public let projectId: String
    public let envelopeURL: String
    /// The DSN as given (it holds no secret: the public key only identifies the project).
    public let text: String

    public init?(_ text: String) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, let key = url.user, !key.isEmpty else { return nil }
        var path = url.path.split(separator: "/").map(String.init)
        guard let project = path.popLast(), !project.isEmpty, project.allSatisfy(\.isNumber) else { return nil }
        let port = url.port.map { ":\($0)" } ?? ""
        let prefix = path.isEmpty ? "" : "/" + path.joined(separator: "/")
        self.publicKey = key
        self.projectId = project
        self.envelopeURL = "\(scheme)://\(host)\(port)\(prefix)/api/\(project)/envelope/"
        self.text = text
    }

    /// The `X-Sentry-Auth` header value.
    public var authHeader: String { "Sentry sentry_version=7, sentry_client=drop/1.0, sentry_key=\(publicKey)" }
}
