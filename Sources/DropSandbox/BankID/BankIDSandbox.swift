import Foundation
import Hummingbird
import Logging

/// A BankID OpenID Provider for development and tests (docs/protocols.md §3, docs/decisions/0003): discovery,
/// JWKS, an authorize page with a national-id field and the sandbox persons, a token endpoint with
/// `client_secret_basic` and PKCE S256, userinfo, and RS256 ID tokens carrying `nnin_altsub`.
///
/// It is "another company": its own RSA key and pairwise-subject key under `keyDirectory`, its own
/// in-memory codes and tokens, and Drop reaches it only over HTTP through the real BankID client.
///
/// ```swift
/// let bankID = try BankIDSandbox(
///     issuer: { "\(baseURL.value)/sandbox/bankid" },
///     clientsProvider: { [BankIDSandboxClient(clientID: "drop-dev", clientSecret: secret,
///                                             redirectURIs: ["\(baseURL.value)/v1/auth/bankid/callback"])] },
///     keyDirectory: URL(fileURLWithPath: config.dataDirectory)
/// )
/// bankID.addRoutes(to: router.group("sandbox/bankid"))
/// ```
public final class BankIDSandbox: Sendable {
    /// Paths under the issuer, Keycloak's, as BankID uses them.
    public enum Path {
        public static let discovery = "/.well-known/openid-configuration"
        public static let authorization = "/protocol/openid-connect/auth"
        public static let token = "/protocol/openid-connect/token"
        public static let userinfo = "/protocol/openid-connect/userinfo"
        public static let certs = "/protocol/openid-connect/certs"
        static let stylesheet = "/resources/sign-in.css"
    }

    /// BankID's high level of assurance (docs/protocols.md §3): the `acr` unless `acr_values` asks for biometrics.
    public static let acr = BankIDAssuranceLevel.high.acr
    public static let codeLifetime: TimeInterval = 60
    public static let tokenLifetime: TimeInterval = 300
    /// Form and token request bodies are small; anything bigger is not a browser or an RP.
    static let maxBodyBytes = 64 * 1024

    private let issuerProvider: @Sendable () -> String
    private let clientsProvider: @Sendable () -> [BankIDSandboxClient]
    let now: @Sendable () -> Date
    let keys: BankIDSigningKeys
    let pseudonyms: BankIDPseudonyms
    let grants = BankIDGrantStore()
    let signInSessions = BankIDSignInSessions()
    let logger: Logger

    /// - Parameters:
    ///   - issuer: the issuer URL, `<public base URL>/sandbox/bankid`; read per request because the
    ///     server's port may only be known after binding.
    ///   - clients: the relying parties allowed to sign people in.
    ///   - keyDirectory: where the signing key (`bankid-sandbox-key.pem`) and the pairwise-subject
    ///     key are kept; made on first start, reused after.
    ///   - now: the sandbox's clock (code and token expiry, `iat`/`exp`).
    /// - Throws: when the directory cannot be created or a stored key cannot be read.
    public convenience init(
        issuer: @escaping @Sendable () -> String,
        clients: [BankIDSandboxClient],
        keyDirectory: URL,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.sandbox.bankid")
    ) throws {
        try self.init(issuer: issuer, clientsProvider: { clients }, keyDirectory: keyDirectory, now: now, logger: logger)
    }

    /// With the registered clients read per request, for redirect URIs that contain the server's
    /// port and so are only known after binding (like the issuer).
    public init(
        issuer: @escaping @Sendable () -> String,
        clientsProvider: @escaping @Sendable () -> [BankIDSandboxClient],
        keyDirectory: URL,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.sandbox.bankid")
    ) throws {
        self.issuerProvider = issuer
        self.clientsProvider = clientsProvider
        self.now = now
        self.keys = try BankIDSigningKeys(directory: keyDirectory)
        self.pseudonyms = try BankIDPseudonyms(directory: keyDirectory)
        self.logger = logger
    }

    /// The issuer URL without a trailing slash.
    public var issuer: String {
        var value = issuerProvider()
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }

    /// The registered clients by `client_id`.
    var clients: [String: BankIDSandboxClient] {
        Dictionary(clientsProvider().map { ($0.clientID, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The `kid` ID tokens are signed with now.
    public var currentKeyID: String { keys.current.kid }

    /// Makes a new signing key and signs with it from now on; the previous public key stays in the
    /// JWKS. Relying parties meet an unknown `kid` and must fetch the JWKS again.
    /// - Returns: the new `kid`.
    @discardableResult
    public func rotateSigningKey() throws -> String {
        let kid = try keys.rotate()
        logger.info("bankid sandbox rotated its signing key", metadata: ["kid": "\(kid)"])
        return kid
    }

    /// Mounts the provider; Drop mounts it at `/sandbox/bankid`, the path of the issuer URL.
    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get(RouterPath(Path.discovery)) { _, _ in self.discoveryResponse() }
        group.get(RouterPath(Path.certs)) { _, _ in self.jwksResponse() }
        group.get(RouterPath(Path.authorization)) { request, _ in self.showSignInPage(request) }
        group.post(RouterPath(Path.authorization)) { request, _ in await self.submitSignIn(request) }
        group.post(RouterPath(Path.token)) { request, _ in await self.exchangeCode(request) }
        group.get(RouterPath(Path.userinfo)) { request, _ in self.userInfo(request) }
        group.post(RouterPath(Path.userinfo)) { request, _ in self.userInfo(request) }
        group.get(RouterPath(Path.stylesheet)) { _, _ in
            BankIDResponses.text(BankIDSignInPage.stylesheet, contentType: "text/css; charset=utf-8", cacheable: true)
        }
    }

    /// The path part of the issuer, e.g. `/sandbox/bankid`, for links in the pages.
    var basePath: String {
        guard let components = URLComponents(string: issuer) else { return "" }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    private func discoveryResponse() -> Response {
        BankIDResponses.json(BankIDDiscoveryDocument(issuer: issuer), cacheable: true)
    }

    private func jwksResponse() -> Response {
        BankIDResponses.json(keys.keySet, cacheable: true)
    }
}
