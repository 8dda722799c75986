import DropCore
@testable import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Drop's BankID relying party against the BankID sandbox over real HTTP: the whole code flow as
/// a browser drives it, then the client's `exchange` and ID token checks.
@Suite("BankID client against the sandbox")
struct BankIDClientLiveTests {
    typealias Env = BankIDLiveEnvironment

    /// Starts a sign-in with `relyingParty`, signs `nationalId` in at the sandbox, exchanges the code.
    static func signIn(_ env: Env, _ relyingParty: BankIDClient, nationalId: String) async throws -> BankIDIdentity {
        let started = try await BankIDStartedSignIn.start(with: relyingParty)
        let code = try await env.browser.authorizationCode(for: started, nationalId: nationalId)
        return try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: started.nonce)
    }

    @Test("every sandbox person signs in with the right claims", arguments: SandboxPersons.all.map(\.nationalId))
    func sandboxPerson(nationalId: String) async throws {
        let person = try #require(SandboxPersons.find(nationalId: nationalId))
        try await Env.run { env in
            let identity = try await Self.signIn(env, env.relyingParty(), nationalId: person.nationalId)
            #expect(identity.nationalId == (try NationalIdentityNumber(person.nationalId)))
            #expect(identity.nationalId.digitsForHashing == person.nationalId)
            #expect(identity.name == person.name)
            #expect(identity.givenName == person.givenName)
            #expect(identity.familyName == person.familyName)
            #expect(identity.birthdate.iso == person.birthdate)
            #expect(identity.birthdate == identity.nationalId.birthDate)
            #expect(identity.issuer == env.issuer)
            #expect(identity.acr == "urn:bankid:bid;LOA=4")
            #expect(identity.amr == ["bid"])
            #expect(identity.subject != person.nationalId && UUID(uuidString: identity.subject) != nil)
            #expect(identity.bankIDPersonalIdentifier?.hasPrefix("9578-6000-4-") == true)
            #expect(identity.authenticatedAt == env.sandboxClock.now())
            #expect(!"\(identity)".contains(person.nationalId))
            #expect(!String(reflecting: identity).contains(person.nationalId))
        }
    }

    @Test("Dina's D-number gives her birth date and the D-number kind")
    func dNumber() async throws {
        try await Env.run { env in
            let identity = try await Self.signIn(env, env.relyingParty(), nationalId: "52069210031")
            #expect(identity.birthdate == (try CalendarDate(year: 1992, month: 6, day: 12)))
            #expect(identity.nationalId.kind == .dNumber)
        }
    }

    @Test("any other checksum-valid fødselsnummer signs in as a generic person")
    func genericPerson() async throws {
        let (number, birthdate) = BankIDTestNumbers.randomBirthNumber()
        try await Env.run { env in
            let identity = try await Self.signIn(env, env.relyingParty(), nationalId: number)
            #expect(identity.nationalId.digitsForHashing == number)
            #expect(identity.name == "Test Testesen")
            #expect(identity.birthdate.iso == birthdate)
        }
    }

    @Test("the authorization URL carries the request the sandbox requires")
    func authorizationURL() async throws {
        try await Env.run { env in
            let started = try await BankIDStartedSignIn.start(with: env.relyingParty())
            let components = try #require(URLComponents(url: started.url, resolvingAgainstBaseURL: false))
            #expect(components.path == "/sandbox/bankid/protocol/openid-connect/auth")
            let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(query["response_type"] == "code")
            #expect(query["client_id"] == Env.clientID)
            #expect(query["redirect_uri"] == Env.redirectURI)
            #expect(query["scope"] == "openid profile nnin_altsub")
            #expect(query["state"] == started.state)
            #expect(query["nonce"] == started.nonce)
            #expect(query["code_challenge"] == BankIDClient.codeChallenge(for: started.verifier))
            #expect(query["code_challenge_method"] == "S256")
            #expect(query["acr_values"] == "urn:bankid:bid")
            #expect(try await env.browser.get(started.pathAndQuery).status == .ok)
        }
    }

    @Test("a sign-in the browser lowered to BankID biometrics is refused, whatever the sandbox issued")
    func loweredAssurance() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let started = try await BankIDStartedSignIn.start(with: relyingParty)
            // The authorize request passes through the person's browser, which can ask for a lower level.
            let lowered = started.pathAndQuery.replacingOccurrences(of: "acr_values=urn%3Abankid%3Abid", with: "acr_values=urn%3Abankid%3Abis")
            #expect(lowered != started.pathAndQuery)
            let query = try await env.browser.signIn(lowered, nationalId: "15039010043")
            let code = try #require(query["code"])
            await #expect(throws: BankIDError.assuranceTooLow) {
                try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: started.nonce)
            }
        }
    }

    @Test("discovery is fetched once and cached")
    func discoveryCached() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let metadata = try await relyingParty.discover()
            #expect(metadata.issuer == env.issuer)
            _ = try await Self.signIn(env, relyingParty, nationalId: "15039010043")
            _ = try await Self.signIn(env, relyingParty, nationalId: "01078510133")
            #expect(env.requests.count("/.well-known/openid-configuration") == 1)
            #expect(env.requests.count("/protocol/openid-connect/certs") == 1)
        }
    }

    // MARK: Refusals at the token endpoint

    @Test("a wrong PKCE verifier is rejected")
    func wrongVerifier() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let started = try await BankIDStartedSignIn.start(with: relyingParty)
            let code = try await env.browser.authorizationCode(for: started, nationalId: "15039010043")
            await #expect(throws: BankIDError.tokenRequestRejected(oauthError: "invalid_grant")) {
                try await relyingParty.exchange(code: code, codeVerifier: BankIDClient.makeCodeVerifier(), expectedNonce: started.nonce)
            }
        }
    }

    @Test("a code works once")
    func reusedCode() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let started = try await BankIDStartedSignIn.start(with: relyingParty)
            let code = try await env.browser.authorizationCode(for: started, nationalId: "15039010043")
            _ = try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: started.nonce)
            await #expect(throws: BankIDError.tokenRequestRejected(oauthError: "invalid_grant")) {
                try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: started.nonce)
            }
        }
    }

    @Test("an expired code is rejected")
    func expiredCode() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let started = try await BankIDStartedSignIn.start(with: relyingParty)
            let code = try await env.browser.authorizationCode(for: started, nationalId: "15039010043")
            env.sandboxClock.advance(by: 61)
            await #expect(throws: BankIDError.tokenRequestRejected(oauthError: "invalid_grant")) {
                try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: started.nonce)
            }
        }
    }

    @Test("a wrong client secret is rejected")
    func wrongSecret() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty(clientSecret: "wrong")
            let started = try await BankIDStartedSignIn.start(with: relyingParty)
            let code = try await env.browser.authorizationCode(for: started, nationalId: "15039010043")
            await #expect(throws: BankIDError.tokenRequestRejected(oauthError: "invalid_client")) {
                try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: started.nonce)
            }
        }
    }

    // MARK: ID token checks

    @Test("a wrong nonce is refused")
    func wrongNonce() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let started = try await BankIDStartedSignIn.start(with: relyingParty)
            let code = try await env.browser.authorizationCode(for: started, nationalId: "15039010043")
            await #expect(throws: BankIDError.nonceMismatch) {
                try await relyingParty.exchange(code: code, codeVerifier: started.verifier, expectedNonce: BankIDClient.makeNonce())
            }
        }
    }

    @Test("an expired ID token is refused; within the 60 s leeway it passes")
    func expiredToken() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            env.relyingPartyClock.advance(by: 300 + 59)
            _ = try await Self.signIn(env, relyingParty, nationalId: "15039010043")
            env.relyingPartyClock.advance(by: 2)
            await #expect(throws: BankIDError.expired) {
                try await Self.signIn(env, relyingParty, nationalId: "15039010043")
            }
        }
    }

    @Test("an ID token issued in the future (beyond the leeway) is refused")
    func futureToken() async throws {
        try await Env.run { env in
            env.relyingPartyClock.advance(by: -61)
            await #expect(throws: BankIDError.notYetValid) {
                try await Self.signIn(env, env.relyingParty(), nationalId: "15039010043")
            }
        }
    }

    @Test("a token signed by another key is refused: unknown kid, or a known kid with a foreign signature")
    func foreignKey() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            // The foreign provider claims Drop's issuer and audience but signs with its own key.
            let forged = try await env.browser.tokens(mount: "/sandbox/foreign", nationalId: "15039010043", nonce: "n").idToken
            await #expect(throws: BankIDError.unknownKey) {
                try await relyingParty.verifyIDToken(forged, expectedNonce: "n")
            }
            // The unknown kid made the client look at the JWKS once more before giving up.
            #expect(env.requests.count("/sandbox/bankid/protocol/openid-connect/certs") == 2)

            let parts = forged.split(separator: ".")
            let header = OIDCEncoding.base64URL(Array(#"{"alg":"RS256","kid":"\#(env.sandbox.currentKeyID)","typ":"JWT"}"#.utf8))
            let relabelled = "\(header).\(parts[1]).\(parts[2])"
            await #expect(throws: BankIDError.invalidSignature) {
                try await relyingParty.verifyIDToken(relabelled, expectedNonce: "n")
            }
        }
    }

    @Test("a tampered payload breaks the signature")
    func tamperedPayload() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            let token = try await env.browser.tokens(nationalId: "15039010043", nonce: "n").idToken
            _ = try await relyingParty.verifyIDToken(token, expectedNonce: "n")

            // Untyped on purpose: the forgery is the token's own claims, every one as it was but the number changed.
            var claims = try #require(try JSONSerialization.jsonObject(with: BankIDBrowser.part(ofJWT: token, at: 1)) as? [String: Any])
            #expect(claims["nnin_altsub"] as? String == "15039010043")
            claims["nnin_altsub"] = "01078510133"
            let payload = OIDCEncoding.base64URL(try JSONSerialization.data(withJSONObject: claims))
            let parts = token.split(separator: ".")
            await #expect(throws: BankIDError.invalidSignature) {
                try await relyingParty.verifyIDToken("\(parts[0]).\(payload).\(parts[2])", expectedNonce: "n")
            }
            let truncatedSignature = "\(parts[0]).\(parts[1]).\(parts[2].dropLast(4))"
            await #expect(throws: BankIDError.invalidSignature) {
                try await relyingParty.verifyIDToken(truncatedSignature, expectedNonce: "n")
            }
            let noneAlgorithm = OIDCEncoding.base64URL(Array(#"{"alg":"none","kid":"\#(env.sandbox.currentKeyID)"}"#.utf8))
            await #expect(throws: BankIDError.invalidSignature) {
                try await relyingParty.verifyIDToken("\(noneAlgorithm).\(parts[1]).", expectedNonce: "n")
            }
        }
    }

    @Test("a token from another issuer is refused even when the signature is good")
    func otherIssuer() async throws {
        try await Env.run { env in
            // The impostor signs with the sandbox's own key but is another issuer.
            let token = try await env.browser.tokens(mount: "/sandbox/impostor", nationalId: "15039010043", nonce: "n").idToken
            await #expect(throws: BankIDError.issuerMismatch) {
                try await env.relyingParty().verifyIDToken(token, expectedNonce: "n")
            }
        }
    }

    @Test("a token issued to another client is refused")
    func otherAudience() async throws {
        try await Env.run { env in
            let token = try await env.browser.tokens(
                nationalId: "15039010043", nonce: "n", clientID: Env.otherClientID,
                clientSecret: Env.otherClientSecret, redirectURI: Env.otherRedirectURI
            ).idToken
            await #expect(throws: BankIDError.audienceMismatch) {
                try await env.relyingParty().verifyIDToken(token, expectedNonce: "n")
            }
        }
    }

    @Test("key rotation: an unknown kid makes the client fetch the JWKS again, once")
    func keyRotation() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty()
            _ = try await Self.signIn(env, relyingParty, nationalId: "15039010043")
            #expect(env.requests.count("/protocol/openid-connect/certs") == 1)

            try env.sandbox.rotateSigningKey()
            let identity = try await Self.signIn(env, relyingParty, nationalId: "01078510133")
            #expect(identity.name == "Ola Nordmann")
            #expect(env.requests.count("/protocol/openid-connect/certs") == 2)

            // Known kid again: no further fetch.
            _ = try await Self.signIn(env, relyingParty, nationalId: "30098010021")
            #expect(env.requests.count("/protocol/openid-connect/certs") == 2)
        }
    }

    // MARK: Discovery and availability

    @Test("a discovery document naming another issuer is refused")
    func discoveryIssuerMismatch() async throws {
        try await Env.run { env in
            // Same server, but reached as localhost: the document says 127.0.0.1.
            let relyingParty = env.relyingParty(issuer: "http://localhost:\(env.port)/sandbox/bankid")
            await #expect(throws: BankIDError.discoveryFailed(reason: "the discovery document names another issuer")) {
                try await relyingParty.discover()
            }
        }
    }

    @Test("no discovery document there is discoveryFailed")
    func discoveryNotFound() async throws {
        try await Env.run { env in
            let relyingParty = env.relyingParty(issuer: "http://127.0.0.1:\(env.port)/sandbox/nothing")
            await #expect(throws: BankIDError.discoveryFailed(reason: "the discovery document answered HTTP 404")) {
                try await relyingParty.discover()
            }
        }
    }

    @Test("an unreachable provider is providerUnavailable")
    func unreachable() async throws {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let relyingParty = BankIDClient(
            configuration: BankIDClientConfiguration(
                issuer: "http://127.0.0.1:9/sandbox/bankid", clientID: "x", clientSecret: "y", redirectURI: "https://x.example/cb",
                requestTimeout: .seconds(2)
            ),
            httpClient: .shared,
            retryPolicy: RetryPolicy(maxRetries: 0)
        )
        let error = await #expect(throws: BankIDError.self) {
            try await relyingParty.exchange(code: "c", codeVerifier: BankIDClient.makeCodeVerifier(), expectedNonce: "n")
        }
        guard case .providerUnavailable = error else {
            Issue.record("expected providerUnavailable, got \(String(describing: error))")
            return
        }
    }
}
