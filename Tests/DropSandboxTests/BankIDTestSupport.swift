@testable import DropProviders
import DropSandbox
import DropTestTools
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A clock the BankID tests move by hand (the sandbox's and the relying party's are separate,
/// as two companies' clocks are).
final class BankIDTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}

/// The bound port, known only once the server runs; the sandbox's issuer reads it per request.
final class BankIDPortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return port
    }

    func set(_ value: Int) {
        lock.lock()
        port = value
        lock.unlock()
    }
}

/// Counts requests per path, to see when the relying party fetches the JWKS.
final class BankIDRequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []

    func record(_ path: String) {
        lock.lock()
        paths.append(path)
        lock.unlock()
    }

    func count(_ suffix: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return paths.filter { $0.hasSuffix(suffix) }.count
    }
}

struct BankIDRequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: BankIDRequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        log.record(request.uri.path)
        return try await next(request, context)
    }
}

/// Key directories made once per test run and copied per test: RSA key generation is slow in
/// debug builds, and each test needs its own directory (rotation rewrites the key file).
enum BankIDKeyTemplates {
    static let main = makeTemplate()
    static let foreign = makeTemplate()

    private static func makeTemplate() -> URL {
        let directory = URL(fileURLWithPath: TestScratch.path("bankid-keys"))
        do {
            _ = try BankIDSandbox(issuer: { "http://template.invalid" }, clients: [], keyDirectory: directory)
        } catch {
            fatalError("cannot make a BankID key template: \(error)")
        }
        return directory
    }

    /// A fresh copy of `template`.
    static func copy(of template: URL) throws -> URL {
        let directory = URL(fileURLWithPath: TestScratch.path("bankid-test"))
        try FileManager.default.copyItem(at: template, to: directory)
        return directory
    }
}

/// The BankID sandbox served live on 127.0.0.1 with an OS-chosen port, mounted where Drop mounts it,
/// plus two look-alikes for forgery tests:
/// - `/sandbox/foreign`: claims Drop's issuer but signs with a key of its own;
/// - `/sandbox/impostor`: signs with the real key but is another issuer.
struct BankIDLiveEnvironment: Sendable {
    static let clientID = "drop-test"
    /// Characters that must be form-urlencoded inside HTTP Basic (RFC 6749 §2.3.1).
    static let clientSecret = "s3cret:with/odd chars&=+%"
    static let redirectURI = "https://drop.example/v1/auth/bankid/callback"
    static let otherClientID = "other-app"
    static let otherClientSecret = "other-secret"
    static let otherRedirectURI = "https://other.example/callback?from=bankid"

    let client: any TestClientProtocol
    let port: Int
    let sandbox: BankIDSandbox
    let sandboxClock: BankIDTestClock
    let relyingPartyClock: BankIDTestClock
    let requests: BankIDRequestLog
    let keyDirectory: URL

    var issuer: String { "http://127.0.0.1:\(port)/sandbox/bankid" }

    static var registeredClients: [BankIDSandboxClient] {
        [
            BankIDSandboxClient(clientID: clientID, clientSecret: clientSecret, redirectURIs: [redirectURI], displayName: "Drop (test)"),
            BankIDSandboxClient(clientID: otherClientID, clientSecret: otherClientSecret, redirectURIs: [otherRedirectURI]),
        ]
    }

    /// Runs `body` against a fresh live sandbox.
    static func run<T: Sendable>(_ body: @Sendable (BankIDLiveEnvironment) async throws -> T) async throws -> T {
        let keyDirectory = try BankIDKeyTemplates.copy(of: BankIDKeyTemplates.main)
        let foreignDirectory = try BankIDKeyTemplates.copy(of: BankIDKeyTemplates.foreign)
        defer {
            try? FileManager.default.removeItem(at: keyDirectory)
            try? FileManager.default.removeItem(at: foreignDirectory)
        }
        let portBox = BankIDPortBox()
        let sandboxClock = BankIDTestClock()
        let relyingPartyClock = BankIDTestClock()
        let requests = BankIDRequestLog()
        let issuer: @Sendable () -> String = { "http://127.0.0.1:\(portBox.value)/sandbox/bankid" }
        let sandbox = try BankIDSandbox(
            issuer: issuer, clientsProvider: { registeredClients }, keyDirectory: keyDirectory, now: { sandboxClock.now() }
        )
        let foreign = try BankIDSandbox(
            issuer: issuer, clients: registeredClients, keyDirectory: foreignDirectory, now: { sandboxClock.now() }
        )
        let impostor = try BankIDSandbox(
            issuer: { "http://127.0.0.1:\(portBox.value)/sandbox/impostor" }, clients: registeredClients,
            keyDirectory: keyDirectory, now: { sandboxClock.now() }
        )
        let router = Router()
        router.add(middleware: BankIDRequestLogMiddleware(log: requests))
        sandbox.addRoutes(to: router.group("sandbox/bankid"))
        foreign.addRoutes(to: router.group("sandbox/foreign"))
        impostor.addRoutes(to: router.group("sandbox/impostor"))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            portBox.set(port)
            return try await body(BankIDLiveEnvironment(
                client: client, port: port, sandbox: sandbox, sandboxClock: sandboxClock,
                relyingPartyClock: relyingPartyClock, requests: requests, keyDirectory: keyDirectory
            ))
        }
    }

    /// Drop's real client, pointed at the sandbox over HTTP.
    func relyingParty(
        clientID: String = BankIDLiveEnvironment.clientID,
        clientSecret: String = BankIDLiveEnvironment.clientSecret,
        redirectURI: String = BankIDLiveEnvironment.redirectURI,
        issuer: String? = nil,
        maxRetries: Int = 0
    ) -> BankIDClient {
        let clock = relyingPartyClock
        return BankIDClient(
            configuration: BankIDClientConfiguration(
                issuer: issuer ?? self.issuer, clientID: clientID, clientSecret: clientSecret, redirectURI: redirectURI,
                requestTimeout: .seconds(5)
            ),
            httpClient: .shared,
            retryPolicy: RetryPolicy(maxRetries: maxRetries, sleep: { _ in }),
            now: { clock.now() }
        )
    }

    var browser: BankIDBrowser { BankIDBrowser(client: client) }
}

/// A sign-in the relying party started: what it keeps, and the URL it sends the browser to.
struct BankIDStartedSignIn: Sendable {
    let verifier: String
    let state: String
    let nonce: String
    let url: URL

    static func start(with relyingParty: BankIDClient) async throws -> BankIDStartedSignIn {
        let verifier = BankIDClient.makeCodeVerifier()
        let state = BankIDClient.makeState()
        let nonce = BankIDClient.makeNonce()
        let url = try await relyingParty.authorizationURL(
            state: state, nonce: nonce, codeChallenge: BankIDClient.codeChallenge(for: verifier)
        )
        return BankIDStartedSignIn(verifier: verifier, state: state, nonce: nonce, url: url)
    }

    /// The authorize URL's path and query, as the test client sends them.
    var pathAndQuery: String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        return (components?.percentEncodedPath ?? "") + "?" + (components?.percentEncodedQuery ?? "")
    }
}

/// What a browser does with the sandbox's pages: read the form, fill it in, follow the redirect.
struct BankIDBrowser: Sendable {
    let client: any TestClientProtocol

    func get(_ pathAndQuery: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: pathAndQuery, method: .get, headers: headers)
    }

    func postForm(_ path: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: Self.form(fields)))
    }

    /// Opens the authorize URL, submits the form with `nationalId`, and returns the redirect's query.
    /// - Parameter postTo: where to submit instead of the form's action (the foreign look-alike
    ///   borrows Drop's issuer, so its form would point at the real sandbox).
    func signIn(_ pathAndQuery: String, nationalId: String, postTo: String? = nil) async throws -> [String: String] {
        let page = try await get(pathAndQuery)
        try #require(page.status == .ok, "sign-in page: \(page.status)")
        let html = page.bankIDBodyText
        let action = try postTo ?? Self.formAction(html)
        let response = try await postForm(action, Self.hiddenInputs(html) + [("nationalId", nationalId)])
        try #require(response.status == .found, "sign-in POST: \(response.status) \(response.bankIDBodyText.prefix(300))")
        return try Self.query(ofLocation: response)
    }

    /// The `code` after signing in, with the state checked.
    func authorizationCode(for signIn: BankIDStartedSignIn, nationalId: String) async throws -> String {
        let query = try await self.signIn(signIn.pathAndQuery, nationalId: nationalId)
        #expect(query["state"] == signIn.state)
        return try #require(query["code"])
    }

    /// Calls a token endpoint directly, as a relying party's HTTP client would.
    func token(
        mount: String = "/sandbox/bankid", clientID: String = BankIDLiveEnvironment.clientID,
        clientSecret: String = BankIDLiveEnvironment.clientSecret, fields: [(String, String)]
    ) async throws -> TestResponse {
        let credentials = OIDCEncoding.formComponent(clientID) + ":" + OIDCEncoding.formComponent(clientSecret)
        return try await postForm(
            mount + "/protocol/openid-connect/token", fields,
            headers: [.authorization: "Basic " + Data(credentials.utf8).base64EncodedString()]
        )
    }

    /// A full sign-in at `mount` without Drop's client: returns the token endpoint's answer.
    func tokens(
        mount: String = "/sandbox/bankid", nationalId: String, nonce: String = "test-nonce",
        clientID: String = BankIDLiveEnvironment.clientID, clientSecret: String = BankIDLiveEnvironment.clientSecret,
        redirectURI: String = BankIDLiveEnvironment.redirectURI, scope: String = "openid profile nnin_altsub"
    ) async throws -> BankIDWire.Tokens {
        let verifier = BankIDClient.makeCodeVerifier()
        let query = Self.form([
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scope),
            ("state", "test-state"), ("nonce", nonce),
            ("code_challenge", BankIDClient.codeChallenge(for: verifier)), ("code_challenge_method", "S256"),
        ])
        let authorize = mount + "/protocol/openid-connect/auth"
        let redirect = try await signIn(authorize + "?" + query, nationalId: nationalId, postTo: authorize)
        let code = try #require(redirect["code"])
        let response = try await token(mount: mount, clientID: clientID, clientSecret: clientSecret, fields: [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier),
        ])
        try #require(response.status == .ok, "token: \(response.status) \(response.bankIDBodyText)")
        return try Self.decode(BankIDWire.Tokens.self, response)
    }

    // MARK: Parsing what the sandbox sends

    static func form(_ fields: [(String, String)]) -> String { OIDCEncoding.form(fields) }

    /// The body read into one of `BankIDWire`'s types.
    static func decode<Value: Decodable>(_ type: Value.Type, _ response: TestResponse) throws -> Value {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    /// The redirect's query parameters (the Location must exist).
    static func query(ofLocation response: TestResponse) throws -> [String: String] {
        let location = try #require(response.headers[.location])
        let components = try #require(URLComponents(string: location))
        var result: [String: String] = [:]
        for item in components.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }

    static func hiddenInputs(_ html: String) -> [(String, String)] {
        html.matches(of: #/<input type="hidden" name="([^"]*)" value="([^"]*)">/#).map {
            (unescape(String($0.output.1)), unescape(String($0.output.2)))
        }
    }

    static func formAction(_ html: String) throws -> String {
        let match = try #require(html.firstMatch(of: #/<form method="post" action="([^"]*)">/#))
        return unescape(String(match.output.1))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The claims of a JWT, read without verifying it.
    static func claims(ofJWT token: String) throws -> BankIDWire.IDTokenClaims {
        try JSONDecoder().decode(BankIDWire.IDTokenClaims.self, from: part(ofJWT: token, at: 1))
    }

    /// The names of the claims a JWT carries: for a claim that must not be there at all.
    static func claimNames(ofJWT token: String) throws -> JSONFieldNames {
        try JSONFieldNames.of(part(ofJWT: token, at: 1))
    }

    static func header(ofJWT token: String) throws -> BankIDWire.JOSEHeader {
        try JSONDecoder().decode(BankIDWire.JOSEHeader.self, from: part(ofJWT: token, at: 0))
    }

    /// A JWT's header (0) or claims (1) as the JSON bytes it encodes.
    static func part(ofJWT token: String, at index: Int) throws -> Data {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        return Data(try #require(OIDCEncoding.base64URLDecoded(parts[index])))
    }
}

/// What the BankID sandbox answers, each field by its name on the wire (OpenID Connect Discovery,
/// RFC 7517, RFC 6749 §5, OpenID Connect Core), as a relying party reads it.
enum BankIDWire {
    /// `/.well-known/openid-configuration`.
    struct Discovery: Decodable {
        let issuer: String
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let userinfoEndpoint: String
        let jwksURI: String
        let responseTypesSupported: [String]
        let grantTypesSupported: [String]
        let subjectTypesSupported: [String]
        let idTokenSigningAlgValuesSupported: [String]
        let codeChallengeMethodsSupported: [String]
        let tokenEndpointAuthMethodsSupported: [String]
        let scopesSupported: [String]
        let claimsSupported: [String]

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case userinfoEndpoint = "userinfo_endpoint"
            case jwksURI = "jwks_uri"
            case responseTypesSupported = "response_types_supported"
            case grantTypesSupported = "grant_types_supported"
            case subjectTypesSupported = "subject_types_supported"
            case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
            case codeChallengeMethodsSupported = "code_challenge_methods_supported"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
            case scopesSupported = "scopes_supported"
            case claimsSupported = "claims_supported"
        }
    }

    /// The JWKS (`/protocol/openid-connect/certs`): RSA public keys.
    struct KeySet: Decodable {
        struct Key: Decodable {
            let kty: String
            let kid: String
            let use: String
            let alg: String
            let e: String
            let n: String
            /// Every member the key has, to see that no private part (`d`, `p`, …) is among them.
            let members: JSONFieldNames

            enum CodingKeys: CodingKey {
                case kty, kid, use, alg, e, n
            }

            init(from decoder: any Decoder) throws {
                let key = try decoder.container(keyedBy: CodingKeys.self)
                kty = try key.decode(String.self, forKey: .kty)
                kid = try key.decode(String.self, forKey: .kid)
                use = try key.decode(String.self, forKey: .use)
                alg = try key.decode(String.self, forKey: .alg)
                e = try key.decode(String.self, forKey: .e)
                n = try key.decode(String.self, forKey: .n)
                members = try JSONFieldNames(from: decoder)
            }
        }

        let keys: [Key]
    }

    /// The token endpoint's answer.
    struct Tokens: Decodable {
        let accessToken: String
        let tokenType: String
        let expiresIn: Int
        let scope: String
        let idToken: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in", scope, idToken = "id_token"
        }
    }

    /// The token endpoint's refusal (RFC 6749 §5.2).
    struct OAuthError: Decodable {
        let error: String
        let errorDescription: String?

        enum CodingKeys: String, CodingKey {
            case error, errorDescription = "error_description"
        }
    }

    /// A JWT's JOSE header.
    struct JOSEHeader: Decodable {
        let alg: String
        let kid: String?
    }

    /// An ID token's claims. Those that come with a scope (`profile`, `nnin_altsub`) may be absent;
    /// `BankIDBrowser.claimNames(ofJWT:)` tells absent from null.
    struct IDTokenClaims: Decodable {
        let iss: String
        let sub: String
        let aud: String
        let azp: String?
        let exp: Int
        let iat: Int
        let authTime: Int?
        let nonce: String?
        let acr: String?
        let amr: [String]?
        let typ: String?
        let atHash: String?
        let name: String?
        let givenName: String?
        let familyName: String?
        let birthdate: String?
        let nninAltsub: String?
        let bankIDAltsub: String?

        enum CodingKeys: String, CodingKey {
            case iss, sub, aud, azp, exp, iat, authTime = "auth_time", nonce, acr, amr, typ, atHash = "at_hash", name
            case givenName = "given_name", familyName = "family_name", birthdate, nninAltsub = "nnin_altsub", bankIDAltsub = "bankid_altsub"
        }
    }

    /// `/protocol/openid-connect/userinfo`.
    struct UserInfo: Decodable {
        let sub: String
        let nninAltsub: String?
        let name: String?
        let givenName: String?
        let familyName: String?
        let birthdate: String?

        enum CodingKeys: String, CodingKey {
            case sub, nninAltsub = "nnin_altsub", name, givenName = "given_name", familyName = "family_name", birthdate
        }
    }
}

enum BankIDTestNumbers {
    /// A random checksum-valid fødselsnummer of someone born in the 1900s (individual number 000–499).
    static func randomBirthNumber() -> (number: String, birthdate: String) {
        while true {
            let year = Int.random(in: 1940...1999)
            let month = Int.random(in: 1...12)
            let day = Int.random(in: 1...28)
            let individual = Int.random(in: 0...499)
            let body = String(format: "%02d%02d%02d%03d", day, month, year % 100, individual)
            let digits = body.map { Int(String($0))! }
            func check(_ weights: [Int], _ values: [Int]) -> Int? {
                let value = 11 - zip(weights, values).map(*).reduce(0, +) % 11
                return value == 11 ? 0 : value == 10 ? nil : value
            }
            guard let first = check([3, 7, 6, 1, 8, 9, 4, 5, 2], digits),
                  let second = check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], digits + [first]) else { continue }
            return (body + "\(first)\(second)", String(format: "%04d-%02d-%02d", year, month, day))
        }
    }
}

extension TestResponse {
    /// The body as UTF-8 text (named apart from other suites' helpers).
    var bankIDBodyText: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}
