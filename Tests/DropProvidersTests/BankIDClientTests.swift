import DropCore
@testable import DropProviders
import Foundation
import Testing

/// The BankID relying party's parts that need no provider: PKCE, claim checks, claim mapping,
/// error mapping, redaction, and refusing garbage without crashing.
@Suite("BankID client")
struct BankIDClientTests {
    static let issuer = "https://auth.current.bankid.no/auth/realms/current"
    static let verifier = BankIDIDTokenVerifier(issuer: issuer, clientID: "drop", leeway: 60)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Marks a claim to leave out.
    static let absent = "<absent>"

    /// ID token claims as JSON, with `overrides` replacing (or, with `absent`, removing) claims.
    /// A dictionary on purpose: these tests build claim sets a provider might send, wrong types and missing claims too.
    static func claims(_ overrides: [String: Any] = [:]) throws -> BankIDIDTokenPayload {
        var claims: [String: Any] = [
            "iss": issuer, "sub": "8f2a1c44-0e55-4b8e-9d7c-3e1f6a2b9c01", "aud": "drop", "azp": "drop",
            "exp": 1_800_000_300, "iat": 1_800_000_000, "auth_time": 1_799_999_990, "nonce": "nonce-1",
            "acr": "urn:bankid:bid;LOA=4", "amr": ["bid"], "name": "Kari Nordmann", "given_name": "Kari",
            "family_name": "Nordmann", "birthdate": "1990-03-15", "nnin_altsub": "15039010043",
            "bankid_altsub": "9578-6000-4-351726",
        ]
        for (key, value) in overrides {
            claims[key] = value as? String == absent ? nil : value
        }
        return try JSONDecoder().decode(BankIDIDTokenPayload.self, from: JSONSerialization.data(withJSONObject: claims))
    }

    // MARK: PKCE, state, nonce

    @Test("the S256 challenge matches RFC 7636's example")
    func rfc7636Vector() {
        #expect(BankIDClient.codeChallenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test("verifiers, states and nonces are 43 base64url characters and never repeat")
    func randomValues() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var seen: Set<String> = []
        for _ in 0..<50 {
            for value in [BankIDClient.makeCodeVerifier(), BankIDClient.makeState(), BankIDClient.makeNonce()] {
                #expect(value.count == 43)
                #expect(value.allSatisfy(alphabet.contains))
                seen.insert(value)
            }
        }
        #expect(seen.count == 150)
    }

    // MARK: Claim checks

    @Test("good claims pass")
    func goodClaims() throws {
        try Self.verifier.checkClaims(try Self.claims(), expectedNonce: "nonce-1", now: Self.now)
    }

    @Test("each broken claim has its own error", arguments: [
        (["iss": "https://evil.example"], BankIDError.issuerMismatch),
        (["aud": "someone-else", "azp": BankIDClientTests.absent], .audienceMismatch),
        (["aud": ["drop", "someone-else"], "azp": BankIDClientTests.absent], .audienceMismatch),
        (["azp": "someone-else"], .audienceMismatch),
        (["exp": 1_799_999_939], .expired),
        (["iat": 1_800_000_061], .notYetValid),
        (["nbf": 1_800_000_061], .notYetValid),
        (["nonce": "another"], .nonceMismatch),
        (["nonce": BankIDClientTests.absent], .nonceMismatch),
        (["acr": "urn:bankid:bis;LOA=3", "amr": ["bis"]], .assuranceTooLow),  // BankID biometrics, substantial
        (["acr": "urn:bankid:bid"], .assuranceTooLow),
        (["acr": BankIDClientTests.absent], .assuranceTooLow),
    ] as [([String: any Sendable], BankIDError)])
    func brokenClaims(overrides: [String: any Sendable], expected: BankIDError) throws {
        let claims = try Self.claims(overrides)
        #expect(throws: expected) {
            try Self.verifier.checkClaims(claims, expectedNonce: "nonce-1", now: Self.now)
        }
    }

    @Test("the leeway is 60 seconds either way; several audiences pass with our azp")
    func leeway() throws {
        try Self.verifier.checkClaims(try Self.claims(["exp": 1_799_999_940]), expectedNonce: "nonce-1", now: Self.now)
        try Self.verifier.checkClaims(try Self.claims(["iat": 1_800_000_060]), expectedNonce: "nonce-1", now: Self.now)
        try Self.verifier.checkClaims(try Self.claims(["aud": ["drop", "other"]]), expectedNonce: "nonce-1", now: Self.now)
    }

    // MARK: auth_time when max_age was sent (OpenID Connect Core §3.1.2.1, §3.1.3.7 item 13)

    @Test("without max_age, auth_time is not required or judged")
    func authTimeOnlyWithMaxAge() throws {
        try Self.verifier.checkClaims(try Self.claims(["auth_time": Self.absent]), expectedNonce: "nonce-1", now: Self.now)
        try Self.verifier.checkClaims(try Self.claims(["auth_time": 1_700_000_000]), expectedNonce: "nonce-1", now: Self.now)
    }

    @Test("with max_age, auth_time must be present and recent (plus the 60 s leeway)", arguments: [
        // (auth_time, max_age, expected error or nil)
        (1_800_000_000.0, 0, nil),
        (1_799_999_940.0, 0, nil),            // a fresh sign-in a minute ago: the leeway
        (1_799_999_939.0, 0, BankIDError.authenticationTooOld),
        (1_799_999_700.0, 300, nil),
        (1_799_999_639.0, 300, .authenticationTooOld),  // a remembered sign-in the provider reused
        (1_800_000_060.0, 0, nil),
        (1_800_000_061.0, 0, .notYetValid),   // from the future
        (-1.0, 0, .missingAuthTime),
    ] as [(Double, Int, BankIDError?)])
    func authTimeWithMaxAge(authTime: Double, maxAge: Int, expected: BankIDError?) throws {
        // Untyped on purpose (as `claims`): `auth_time` left out, or replaced by the case's value.
        let override: [String: Any] = authTime < 0 ? ["auth_time": Self.absent] : ["auth_time": authTime]
        let claims = try Self.claims(override)
        if let expected {
            #expect(throws: expected) {
                try Self.verifier.checkClaims(claims, expectedNonce: "nonce-1", maxAge: maxAge, now: Self.now)
            }
        } else {
            try Self.verifier.checkClaims(claims, expectedNonce: "nonce-1", maxAge: maxAge, now: Self.now)
        }
    }

    // MARK: Reading the person

    @Test("the identity comes from nnin_altsub and the profile claims")
    func identity() throws {
        let identity = try Self.verifier.identity(from: try Self.claims())
        #expect(identity.nationalId.digitsForHashing == "15039010043")
        #expect(identity.subject == "8f2a1c44-0e55-4b8e-9d7c-3e1f6a2b9c01")
        #expect(identity.name == "Kari Nordmann")
        #expect(identity.givenName == "Kari")
        #expect(identity.familyName == "Nordmann")
        #expect(identity.birthdate == (try CalendarDate(year: 1990, month: 3, day: 15)))
        #expect(identity.bankIDPersonalIdentifier == "9578-6000-4-351726")
        #expect(identity.acr == "urn:bankid:bid;LOA=4")
        #expect(identity.amr == ["bid"])
        #expect(identity.authenticatedAt == Date(timeIntervalSince1970: 1_799_999_990))
    }

    @Test("ID-porten's pid and Signicat's or Vipps's nin stand in for nnin_altsub")
    func otherProviders() throws {
        let idporten = try Self.verifier.identity(from: try Self.claims(["nnin_altsub": BankIDClientTests.absent, "pid": "01078510133"]))
        #expect(idporten.nationalId.digitsForHashing == "01078510133")
        let signicat = try Self.verifier.identity(from: try Self.claims([
            "nnin_altsub": BankIDClientTests.absent, "nin": "52069210031", "nin_issuing_country": "NO", "birthdate": BankIDClientTests.absent,
        ]))
        #expect(signicat.nationalId.kind == .dNumber)
        #expect(signicat.birthdate == (try CalendarDate(year: 1992, month: 6, day: 12)))  // from the number
        let vipps = try Self.verifier.identity(from: try Self.claims(["nnin_altsub": BankIDClientTests.absent, "nin": "15039010043"]))
        #expect(vipps.nationalId.digitsForHashing == "15039010043")
    }

    @Test("a missing or invalid national id is refused", arguments: [
        (["nnin_altsub": BankIDClientTests.absent], BankIDError.missingNationalId),
        (["nnin_altsub": "15039010044"], .invalidNationalId),
        (["nnin_altsub": "not-a-number"], .invalidNationalId),
        (["nnin_altsub": 15_039_010_043], .missingNationalId),
        (["nnin_altsub": BankIDClientTests.absent, "nin": "15039010043", "nin_issuing_country": "SE"], .invalidNationalId),
    ] as [([String: any Sendable], BankIDError)])
    func badNationalId(overrides: [String: any Sendable], expected: BankIDError) throws {
        let claims = try Self.claims(overrides)
        #expect(throws: expected) { try Self.verifier.identity(from: claims) }
    }

    @Test("an identity never shows the national id or the name")
    func redaction() throws {
        let identity = try Self.verifier.identity(from: try Self.claims())
        var dumped = ""
        dump(identity, to: &dumped)
        for text in ["\(identity)", String(reflecting: identity), dumped] {
            #expect(!text.contains("15039010043"))
            #expect(!text.contains("Kari"))
            #expect(!text.contains("1990"))
        }
        let configuration = BankIDClientConfiguration(issuer: Self.issuer + "/", clientID: "drop", clientSecret: "top-secret", redirectURI: "https://drop.example/cb")
        #expect(!"\(configuration)".contains("top-secret"))
        #expect(configuration.issuer == Self.issuer)
    }

    // MARK: Garbage

    @Test("garbage ID tokens are refused with an error, never a crash", arguments: [
        "", ".", "..", "a.b", "a.b.c.d", "!!!.???.###", "e30.e30.e30",
        OIDCEncoding.base64URL(Array("not json".utf8)) + ".e30.sig",
        OIDCEncoding.base64URL(Array(#"{"alg":"HS256","kid":"k"}"#.utf8)) + ".e30.sig",
        OIDCEncoding.base64URL(Array(#"{"alg":"none"}"#.utf8)) + ".e30.",
        OIDCEncoding.base64URL(Array(#"{"alg":"RS256"}"#.utf8)) + ".e30.sig",
    ])
    func garbage(token: String) async throws {
        // An issuer nobody answers at: every one of these must be refused before any fetch.
        let client = BankIDClient(
            configuration: BankIDClientConfiguration(
                issuer: "http://127.0.0.1:9/nothing", clientID: "drop", clientSecret: "s", redirectURI: "https://drop.example/cb"
            ),
            httpClient: .shared, retryPolicy: RetryPolicy(maxRetries: 0)
        )
        let error = await #expect(throws: BankIDError.self) {
            try await client.verifyIDToken(token, expectedNonce: "n")
        }
        switch error {
        case .malformedIDToken?, .invalidSignature?, .unknownKey?: break
        default: Issue.record("unexpected \(String(describing: error))")
        }
    }

    // MARK: Mapping provider errors

    @Test("token endpoint errors map to OAuth error codes or provider unavailability")
    func tokenErrors() {
        let rejected = BankIDClient.mapTokenError(.http(provider: "bankid", status: 400, body: #"{"error":"invalid_grant","error_description":"used"}"#))
        #expect(rejected == .tokenRequestRejected(oauthError: "invalid_grant"))
        let unauthorized = BankIDClient.mapTokenError(.http(provider: "bankid", status: 401, body: #"{"error":"invalid_client"}"#))
        #expect(unauthorized == .tokenRequestRejected(oauthError: "invalid_client"))
        #expect(BankIDClient.mapTokenError(.http(provider: "bankid", status: 403, body: "<html>")) == .tokenRequestRejected(oauthError: "http_403"))
        #expect(BankIDClient.mapTokenError(.unavailable(provider: "bankid", retryAfter: .seconds(5))) == .providerUnavailable(retryAfter: .seconds(5)))
        #expect(BankIDClient.mapTokenError(.timeout(provider: "bankid")) == .providerUnavailable(retryAfter: nil))
        #expect(BankIDClient.mapTokenError(.circuitOpen(provider: "bankid", retryAfter: .seconds(30))) == .providerUnavailable(retryAfter: .seconds(30)))
    }

    /// The token endpoint gets the client secret and the code, the JWKS says which signatures count: an https
    /// issuer's discovery document naming a plain-http endpoint is refused; the sandbox (http throughout) still works.
    @Test("an https issuer's endpoints must be https")
    func plainHTTPEndpoints() throws {
        func metadata(issuer: String, token: String) throws -> BankIDProviderMetadata {
            let document = ["issuer": issuer, "authorization_endpoint": issuer + "/auth", "token_endpoint": token, "jwks_uri": issuer + "/certs"]
            return try JSONDecoder().decode(BankIDProviderMetadata.self, from: JSONSerialization.data(withJSONObject: document))
        }
        #expect(throws: BankIDError.discoveryFailed(reason: "an endpoint in the discovery document is not https")) {
            try BankIDClient.checkEndpoints(of: try metadata(issuer: Self.issuer, token: "http://auth.current.bankid.no/token"), issuer: Self.issuer)
        }
        try BankIDClient.checkEndpoints(of: try metadata(issuer: Self.issuer, token: Self.issuer + "/token"), issuer: Self.issuer)
        let sandbox = "http://127.0.0.1:8080/sandbox/bankid"
        try BankIDClient.checkEndpoints(of: try metadata(issuer: sandbox, token: sandbox + "/token"), issuer: sandbox)
    }

    @Test("a JWKS without a usable RS256 key is refused")
    func unusableJWKS() async throws {
        for body in [#"{"keys":[]}"#, #"{"keys":[{"kty":"EC","kid":"e","crv":"P-256","x":"a","y":"b"}]}"#, "[]", "garbage",
                     #"{"keys":[{"kty":"RSA","kid":"k","use":"enc","n":"AQAB","e":"AQAB"}]}"#] {
            await #expect(throws: BankIDError.self) {
                try await BankIDKeyRing.make(jwks: Array(body.utf8))
            }
        }
    }
}
