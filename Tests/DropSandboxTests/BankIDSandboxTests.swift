@testable import DropProviders
import DropSandbox
import DropTestTools
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The BankID sandbox as an OpenID Provider, driven over real HTTP the way a browser and a
/// relying party would, without Drop's client in between.
@Suite("BankID sandbox: OpenID Provider")
struct BankIDSandboxTests {
    typealias Env = BankIDLiveEnvironment

    /// A valid authorize query, with `overrides` replacing (or, with nil, removing) parameters.
    static func authorizeURI(
        mount: String = "/sandbox/bankid", _ overrides: [String: String?] = [:], verifier: String = String(repeating: "v", count: 43)
    ) -> String {
        var fields: [(String, String?)] = [
            ("response_type", "code"), ("client_id", Env.clientID), ("redirect_uri", Env.redirectURI),
            ("scope", "openid profile nnin_altsub"), ("state", "state-123"), ("nonce", "nonce-456"),
            ("code_challenge", BankIDClient.codeChallenge(for: verifier)), ("code_challenge_method", "S256"),
        ]
        for (name, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == name }) { fields[index].1 = value } else { fields.append((name, value)) }
        }
        let present = fields.compactMap { field in field.1.map { (field.0, $0) } }
        return mount + "/protocol/openid-connect/auth?" + OIDCEncoding.form(present)
    }

    @Test("discovery names the issuer at the live port and BankID's endpoints and capabilities")
    func discovery() async throws {
        try await Env.run { env in
            let response = try await env.browser.get("/sandbox/bankid/.well-known/openid-configuration")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try BankIDBrowser.decode(BankIDWire.Discovery.self, response)
            #expect(document.issuer == env.issuer)
            #expect(document.authorizationEndpoint == env.issuer + "/protocol/openid-connect/auth")
            #expect(document.tokenEndpoint == env.issuer + "/protocol/openid-connect/token")
            #expect(document.userinfoEndpoint == env.issuer + "/protocol/openid-connect/userinfo")
            #expect(document.jwksURI == env.issuer + "/protocol/openid-connect/certs")
            #expect(document.responseTypesSupported == ["code"])
            #expect(document.grantTypesSupported == ["authorization_code"])
            #expect(document.subjectTypesSupported == ["pairwise"])
            #expect(document.idTokenSigningAlgValuesSupported == ["RS256"])
            #expect(document.codeChallengeMethodsSupported == ["S256"])
            #expect(document.tokenEndpointAuthMethodsSupported == ["client_secret_basic"])
            let scopes = document.scopesSupported
            #expect(Set(["openid", "profile", "nnin_altsub"]).isSubset(of: Set(scopes)))
            let claims = document.claimsSupported
            #expect(claims.contains("nnin_altsub") && claims.contains("sub") && claims.contains("birthdate"))
        }
    }

    @Test("the JWKS publishes the RSA signing key by its kid")
    func jwks() async throws {
        try await Env.run { env in
            let response = try await env.browser.get("/sandbox/bankid/protocol/openid-connect/certs")
            #expect(response.status == .ok)
            let keys = try BankIDBrowser.decode(BankIDWire.KeySet.self, response).keys
            #expect(keys.count == 1)
            let key = try #require(keys.first)
            #expect(key.kty == "RSA")
            #expect(key.kid == env.sandbox.currentKeyID)
            #expect(key.use == "sig")
            #expect(key.alg == "RS256")
            #expect(key.e == "AQAB")
            let n = key.n
            let modulus = try #require(OIDCEncoding.base64URLDecoded(n))
            #expect(modulus.count == 256)  // RSA-2048
            #expect(!key.members.contains("d") && !key.members.contains("p"))  // public half only
        }
    }

    @Test("the signing key is kept as PEM in the key directory and reused on restart")
    func keyPersistence() throws {
        let directory = URL(fileURLWithPath: TestScratch.path("bankid-persist"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try BankIDSandbox(issuer: { "http://localhost/sandbox/bankid" }, clients: [], keyDirectory: directory)
        let file = directory.appendingPathComponent("bankid-sandbox-key.pem")
        let pem = try String(contentsOf: file, encoding: .utf8)
        #expect(pem.contains("PRIVATE KEY-----"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let permissions = (attributes[.posixPermissions] as? Int) ?? (attributes[.posixPermissions] as? NSNumber)?.intValue
        #expect(permissions == 0o600)
        let restarted = try BankIDSandbox(issuer: { "http://localhost/sandbox/bankid" }, clients: [], keyDirectory: directory)
        #expect(restarted.currentKeyID == first.currentKeyID)
        let other = try BankIDSandbox(
            issuer: { "http://localhost/sandbox/bankid" }, clients: [],
            keyDirectory: try BankIDKeyTemplates.copy(of: BankIDKeyTemplates.foreign)
        )
        #expect(other.currentKeyID != first.currentKeyID)
    }

    @Test("a valid request gets one accessible sign-in form carrying the request")
    func signInPage() async throws {
        try await Env.run { env in
            let response = try await env.browser.get(Self.authorizeURI())
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = response.bankIDBodyText
            #expect(html.matches(of: #/<form\b/#).count == 1)
            #expect(html.contains(#"<form method="post" action="/sandbox/bankid/protocol/openid-connect/auth">"#))
            let hidden = Dictionary(BankIDBrowser.hiddenInputs(html), uniquingKeysWith: { first, _ in first })
            #expect(hidden["client_id"] == Env.clientID)
            #expect(hidden["redirect_uri"] == Env.redirectURI)
            #expect(hidden["state"] == "state-123")
            #expect(hidden["nonce"] == "nonce-456")
            #expect(hidden["code_challenge_method"] == "S256")
            #expect(hidden["scope"] == "openid profile nnin_altsub")
            #expect(html.contains(#"<label for="nationalId">"#))
            #expect(html.contains(#"name="nationalId""#))
            #expect(html.contains(#"value="cancel""#))
            #expect(!html.contains("<script"))
            for person in SandboxPersons.all {
                #expect(html.contains(person.name) && html.contains(person.nationalId))
            }
        }
    }

    @Test("request values are HTML-escaped in the page")
    func escaping() async throws {
        try await Env.run { env in
            let response = try await env.browser.get(Self.authorizeURI(["state": #""><script>alert(1)</script>"#]))
            #expect(response.status == .ok)
            #expect(!response.bankIDBodyText.contains("<script>"))
            let hidden = Dictionary(BankIDBrowser.hiddenInputs(response.bankIDBodyText), uniquingKeysWith: { first, _ in first })
            #expect(hidden["state"] == #""><script>alert(1)</script>"#)
        }
    }

    @Test("an unknown client or unregistered redirect URI gets an error page, never a redirect", arguments: [
        ["client_id": "evil-client"],
        ["client_id": nil],
        ["redirect_uri": "https://evil.example/steal"],
        ["redirect_uri": Env.redirectURI + "/extra"],
        ["redirect_uri": nil],
    ] as [[String: String?]])
    func refusedWithoutRedirect(overrides: [String: String?]) async throws {
        try await Env.run { env in
            let response = try await env.browser.get(Self.authorizeURI(overrides))
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
            #expect(response.bankIDBodyText.contains("refused"))
        }
    }

    @Test("a flawed request from a known client goes back with an OAuth error and the state", arguments: [
        (["code_challenge": nil, "code_challenge_method": nil], "invalid_request"),
        (["code_challenge_method": nil], "invalid_request"),
        (["code_challenge_method": "plain"], "invalid_request"),
        (["code_challenge": "too-short"], "invalid_request"),
        (["nonce": nil], "invalid_request"),
        (["response_type": "token"], "unsupported_response_type"),
        (["response_type": nil], "invalid_request"),
        (["scope": "profile nnin_altsub"], "invalid_scope"),
    ] as [([String: String?], String)])
    func refusedWithRedirect(overrides: [String: String?], error: String) async throws {
        try await Env.run { env in
            let response = try await env.browser.get(Self.authorizeURI(overrides))
            #expect(response.status == .found)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix(Env.redirectURI + "?"))
            let query = try BankIDBrowser.query(ofLocation: response)
            #expect(query["error"] == error)
            #expect(query["error_description"]?.isEmpty == false)
            #expect(query["state"] == "state-123")
            #expect(query["code"] == nil)
        }
    }

    @Test("a missing state is an error without a state")
    func missingState() async throws {
        try await Env.run { env in
            let response = try await env.browser.get(Self.authorizeURI(["state": nil]))
            let query = try BankIDBrowser.query(ofLocation: response)
            #expect(query["error"] == "invalid_request")
            #expect(query["state"] == nil)
        }
    }

    @Test("a redirect URI with its own query keeps it")
    func redirectURIWithQuery() async throws {
        try await Env.run { env in
            let query = try await env.browser.signIn(
                Self.authorizeURI(["client_id": Env.otherClientID, "redirect_uri": Env.otherRedirectURI]),
                nationalId: "15039010043"
            )
            #expect(query["from"] == "bankid")
            #expect(query["code"] != nil)
            #expect(query["state"] == "state-123")
        }
    }

    @Test("an invalid national id gets the page again with the error, status 400", arguments: [
        "15039010044", "1503901004", "150390100433", "abcdefghijk", "",
    ])
    func invalidNationalId(nationalId: String) async throws {
        try await Env.run { env in
            let page = try await env.browser.get(Self.authorizeURI())
            let hidden = BankIDBrowser.hiddenInputs(page.bankIDBodyText)
            let response = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/auth", hidden + [("nationalId", nationalId), ("action", "sign_in")]
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
            let html = response.bankIDBodyText
            #expect(html.contains(#"role="alert""#))
            #expect(html.contains(#"aria-invalid="true""#))
            #expect(html.matches(of: #/<form\b/#).count == 1)
            #expect(BankIDBrowser.hiddenInputs(html).count == hidden.count)
        }
    }

    @Test("a person button signs that person in")
    func personButton() async throws {
        try await Env.run { env in
            let page = try await env.browser.get(Self.authorizeURI())
            let response = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/auth",
                BankIDBrowser.hiddenInputs(page.bankIDBodyText) + [("nationalId", ""), ("person", "01078510133")]
            )
            #expect(response.status == .found)
            #expect(try BankIDBrowser.query(ofLocation: response)["code"] != nil)
        }
    }

    @Test("Cancel answers access_denied with the state")
    func cancel() async throws {
        try await Env.run { env in
            let page = try await env.browser.get(Self.authorizeURI())
            let response = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/auth",
                BankIDBrowser.hiddenInputs(page.bankIDBodyText) + [("nationalId", ""), ("action", "cancel")]
            )
            #expect(response.status == .found)
            let query = try BankIDBrowser.query(ofLocation: response)
            #expect(query["error"] == "access_denied")
            #expect(query["state"] == "state-123")
            #expect(query["code"] == nil)
        }
    }

    @Test("hidden inputs changed in the browser are checked again")
    func tamperedHiddenInputs() async throws {
        try await Env.run { env in
            let page = try await env.browser.get(Self.authorizeURI())
            var fields = BankIDBrowser.hiddenInputs(page.bankIDBodyText)
            fields = fields.map { $0.0 == "redirect_uri" ? ($0.0, "https://evil.example/steal") : $0 }
            let response = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/auth", fields + [("nationalId", "15039010043")]
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
        }
    }

    @Test("the ID token is RS256 with kid and carries BankID's claims; sub is pairwise, not the national id")
    func idTokenClaims() async throws {
        try await Env.run { env in
            let tokens = try await env.browser.tokens(nationalId: "15039010043", nonce: "n-1")
            #expect(tokens.tokenType == "Bearer")
            #expect(tokens.expiresIn == 300)
            #expect(tokens.scope == "openid profile nnin_altsub")
            #expect(!tokens.accessToken.isEmpty)
            let idToken = tokens.idToken
            let header = try BankIDBrowser.header(ofJWT: idToken)
            #expect(header.alg == "RS256")
            #expect(header.kid == env.sandbox.currentKeyID)

            let claims = try BankIDBrowser.claims(ofJWT: idToken)
            #expect(claims.iss == env.issuer)
            #expect(claims.aud == Env.clientID)
            #expect(claims.azp == Env.clientID)
            #expect(claims.nonce == "n-1")
            #expect(claims.acr == "urn:bankid:bid;LOA=4")
            #expect(claims.amr == ["bid"])
            #expect(claims.typ == "ID")
            #expect(claims.name == "Kari Nordmann")
            #expect(claims.givenName == "Kari")
            #expect(claims.familyName == "Nordmann")
            #expect(claims.birthdate == "1990-03-15")
            #expect(claims.nninAltsub == "15039010043")
            let now = Int(env.sandboxClock.now().timeIntervalSince1970)
            #expect(claims.iat == now)
            #expect(claims.authTime == now)
            #expect(claims.exp == now + 300)
            let pid = try #require(claims.bankIDAltsub)
            #expect(pid.wholeMatch(of: #/9578-6000-4-\d{6}/#) != nil)
            let sub = claims.sub
            #expect(UUID(uuidString: sub) != nil)
            #expect(!sub.contains("15039010043"))
            #expect(claims.atHash != nil)

            // Pairwise: the same person gets the same sub at the same client, another at another client.
            let again = try BankIDBrowser.claims(ofJWT: try await env.browser.tokens(nationalId: "15039010043").idToken)
            #expect(again.sub == sub)
            #expect(again.bankIDAltsub == pid)
            let other = try BankIDBrowser.claims(ofJWT: try await env.browser.tokens(
                nationalId: "15039010043", clientID: Env.otherClientID, clientSecret: Env.otherClientSecret,
                redirectURI: Env.otherRedirectURI
            ).idToken)
            #expect(other.sub != sub)
            #expect(other.bankIDAltsub == pid)
            let ola = try BankIDBrowser.claims(ofJWT: try await env.browser.tokens(nationalId: "01078510133").idToken)
            #expect(ola.sub != sub)
        }
    }

    @Test("acr_values picks the level, as at BankID: biometrics is LoA3, the high level (and the default) LoA4", arguments: [
        (nil, "urn:bankid:bid;LOA=4", ["bid"]), ("urn:bankid:bid", "urn:bankid:bid;LOA=4", ["bid"]),
        ("urn:bankid:bis", "urn:bankid:bis;LOA=3", ["bis"]), ("urn:example:other urn:bankid:bis", "urn:bankid:bis;LOA=3", ["bis"]),
        ("urn:example:other", "urn:bankid:bid;LOA=4", ["bid"]),
    ] as [(String?, String, [String])])
    func assuranceLevel(asked: String?, acr: String, amr: [String]) async throws {
        try await Env.run { env in
            let verifier = BankIDClient.makeCodeVerifier()
            let query = try await env.browser.signIn(Self.authorizeURI(["acr_values": asked], verifier: verifier), nationalId: "15039010043")
            let response = try await env.browser.token(fields: Self.exchangeFields(code: try #require(query["code"]), verifier: verifier))
            let claims = try BankIDBrowser.claims(ofJWT: try BankIDBrowser.decode(BankIDWire.Tokens.self, response).idToken)
            #expect(claims.acr == acr && claims.amr == amr)
        }
    }

    @Test("a remembered sign-in at a lower level is not reused for a higher one")
    func rememberedAssurance() async throws {
        try await Env.run { env in
            let biometrics = Self.authorizeURI(["acr_values": "urn:bankid:bis"])
            let page = try await env.browser.get(biometrics)
            let signedIn = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/auth",
                BankIDBrowser.hiddenInputs(page.bankIDBodyText) + [("nationalId", "15039010043"), ("action", "sign_in")]
            )
            let sso = try #require(signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(sso.hasPrefix("bankid_sandbox_sso="))
            #expect(try await env.browser.get(biometrics, headers: [.cookie: sso]).bankIDBodyText.contains("Continue as Kari"))
            let high = try await env.browser.get(Self.authorizeURI(), headers: [.cookie: sso])
            #expect(high.status == .ok && !high.bankIDBodyText.contains("Continue as"))
            let continued = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/auth",
                BankIDBrowser.hiddenInputs(high.bankIDBodyText) + [("action", "continue")], headers: [.cookie: sso]
            )
            #expect(continued.status == .badRequest)
        }
    }

    @Test("claims follow the granted scopes")
    func scopes() async throws {
        try await Env.run { env in
            let tokens = try await env.browser.tokens(nationalId: "15039010043", scope: "openid")
            #expect(tokens.scope == "openid")
            let claims = try BankIDBrowser.claimNames(ofJWT: tokens.idToken)
            #expect(!claims.contains("nnin_altsub"))
            #expect(!claims.contains("name"))
            #expect(claims.contains("sub"))
        }
    }

    // MARK: Token endpoint

    /// Signs in and returns a fresh code with its verifier.
    static func code(_ env: Env, nationalId: String = "15039010043", clientID: String = Env.clientID,
                     redirectURI: String = Env.redirectURI) async throws -> (code: String, verifier: String) {
        let verifier = BankIDClient.makeCodeVerifier()
        let query = try await env.browser.signIn(
            authorizeURI(["client_id": clientID, "redirect_uri": redirectURI], verifier: verifier), nationalId: nationalId
        )
        return (try #require(query["code"]), verifier)
    }

    static func exchangeFields(code: String, verifier: String, redirectURI: String = Env.redirectURI) -> [(String, String)] {
        [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]
    }

    static func expectOAuthError(_ response: TestResponse, _ error: String, status: HTTPResponse.Status = .badRequest) throws {
        #expect(response.status == status)
        #expect(response.headers[.cacheControl] == "no-store")
        let body = try BankIDBrowser.decode(BankIDWire.OAuthError.self, response)
        #expect(body.error == error)
        #expect(body.errorDescription?.isEmpty == false)
    }

    @Test("the code is long and random")
    func codeShape() async throws {
        try await Env.run { env in
            let (first, _) = try await Self.code(env)
            let (second, _) = try await Self.code(env)
            #expect(first != second)
            #expect(first.utf8.count >= 22)  // ≥ 128 bits in base64url
        }
    }

    @Test("wrong or missing client credentials: 401 invalid_client with WWW-Authenticate")
    func clientAuthentication() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env)
            let wrong = try await env.browser.token(clientSecret: "not-the-secret", fields: Self.exchangeFields(code: code, verifier: verifier))
            try Self.expectOAuthError(wrong, "invalid_client", status: .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)

            let missing = try await env.browser.postForm(
                "/sandbox/bankid/protocol/openid-connect/token",
                Self.exchangeFields(code: code, verifier: verifier) + [("client_id", Env.clientID), ("client_secret", Env.clientSecret)]
            )
            try Self.expectOAuthError(missing, "invalid_client", status: .unauthorized)

            // The refused attempts did not use the code up.
            let ok = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: verifier))
            #expect(ok.status == .ok)
        }
    }

    @Test("a wrong PKCE verifier is invalid_grant and uses the code up")
    func wrongVerifier() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env)
            let wrong = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: BankIDClient.makeCodeVerifier()))
            try Self.expectOAuthError(wrong, "invalid_grant")
            let retry = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: verifier))
            try Self.expectOAuthError(retry, "invalid_grant")
        }
    }

    @Test("a malformed verifier or grant type is refused before the code is looked at")
    func malformedTokenRequests() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env)
            let short = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: "short"))
            try Self.expectOAuthError(short, "invalid_request")
            let grant = try await env.browser.token(fields: [("grant_type", "password"), ("code", code)])
            try Self.expectOAuthError(grant, "unsupported_grant_type")
            let missing = try await env.browser.token(fields: [("grant_type", "authorization_code"), ("code", code)])
            try Self.expectOAuthError(missing, "invalid_request")
            let unknown = try await env.browser.token(fields: Self.exchangeFields(code: "no-such-code", verifier: verifier))
            try Self.expectOAuthError(unknown, "invalid_grant")
            let ok = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: verifier))
            #expect(ok.status == .ok)
        }
    }

    @Test("redirect_uri must equal the authorization request's")
    func redirectURIMismatch() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env)
            let response = try await env.browser.token(
                fields: Self.exchangeFields(code: code, verifier: verifier, redirectURI: "https://drop.example/other")
            )
            try Self.expectOAuthError(response, "invalid_grant")
        }
    }

    @Test("a code issued to another client is invalid_grant")
    func codeOfAnotherClient() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env, clientID: Env.otherClientID, redirectURI: Env.otherRedirectURI)
            let response = try await env.browser.token(
                fields: Self.exchangeFields(code: code, verifier: verifier, redirectURI: Env.otherRedirectURI)
            )
            try Self.expectOAuthError(response, "invalid_grant")
        }
    }

    @Test("a code works once; reuse is invalid_grant and revokes the tokens issued from it")
    func reusedCode() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env)
            let first = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: verifier))
            #expect(first.status == .ok)
            let accessToken = try BankIDBrowser.decode(BankIDWire.Tokens.self, first).accessToken
            let userinfo = "/sandbox/bankid/protocol/openid-connect/userinfo"
            #expect(try await env.browser.get(userinfo, headers: [.authorization: "Bearer \(accessToken)"]).status == .ok)

            let second = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: verifier))
            try Self.expectOAuthError(second, "invalid_grant")
            #expect(try await env.browser.get(userinfo, headers: [.authorization: "Bearer \(accessToken)"]).status == .unauthorized)
        }
    }

    @Test("a code expires after 60 seconds")
    func expiredCode() async throws {
        try await Env.run { env in
            let (code, verifier) = try await Self.code(env)
            env.sandboxClock.advance(by: 61)
            let response = try await env.browser.token(fields: Self.exchangeFields(code: code, verifier: verifier))
            try Self.expectOAuthError(response, "invalid_grant")
        }
    }

    // MARK: Userinfo

    @Test("userinfo answers with the access token, and only with a live one")
    func userinfo() async throws {
        try await Env.run { env in
            let tokens = try await env.browser.tokens(nationalId: "52069210031")
            let accessToken = tokens.accessToken
            let idClaims = try BankIDBrowser.claims(ofJWT: tokens.idToken)
            let path = "/sandbox/bankid/protocol/openid-connect/userinfo"

            let response = try await env.browser.get(path, headers: [.authorization: "Bearer \(accessToken)"])
            #expect(response.status == .ok)
            let info = try BankIDBrowser.decode(BankIDWire.UserInfo.self, response)
            #expect(info.sub == idClaims.sub)
            #expect(info.nninAltsub == "52069210031")
            #expect(info.name == "Dina D-nummer")
            #expect(info.givenName == "Dina")
            #expect(info.familyName == "D-nummer")
            #expect(info.birthdate == "1992-06-12")

            let missing = try await env.browser.get(path)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await env.browser.get(path, headers: [.authorization: "Bearer not-a-token"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            let idTokenAsBearer = try await env.browser.get(
                path, headers: [.authorization: "Bearer \(tokens.idToken)"]
            )
            #expect(idTokenAsBearer.status == .unauthorized)

            env.sandboxClock.advance(by: 301)
            let expired = try await env.browser.get(path, headers: [.authorization: "Bearer \(accessToken)"])
            #expect(expired.status == .unauthorized)
        }
    }

    @Test("rotation signs with a new key and keeps the old one in the JWKS")
    func rotation() async throws {
        try await Env.run { env in
            let old = env.sandbox.currentKeyID
            let new = try env.sandbox.rotateSigningKey()
            #expect(new != old)
            let certs = try await env.browser.get("/sandbox/bankid/protocol/openid-connect/certs")
            let keys = try BankIDBrowser.decode(BankIDWire.KeySet.self, certs).keys
            #expect(keys.map(\.kid) == [new, old])
            let idToken = try await env.browser.tokens(nationalId: "15039010043").idToken
            #expect(try BankIDBrowser.header(ofJWT: idToken).kid == new)
            // The new key is the one kept on disk.
            let restarted = try BankIDSandbox(issuer: { "x" }, clients: [], keyDirectory: env.keyDirectory)
            #expect(restarted.currentKeyID == new)
        }
    }
}
