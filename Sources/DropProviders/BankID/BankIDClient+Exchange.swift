import AsyncHTTPClient
import Foundation

/// The end of a sign-in: code for tokens, then the ID token checked and read.
extension BankIDClient {
    /// Exchanges the callback's `code` at the token endpoint and returns the verified person.
    ///
    /// - Throws: `BankIDError` (`.tokenRequestRejected` for a used, expired or mismatched code or
    ///   wrong credentials; a token-check case when the ID token cannot be trusted;
    ///   `.missingNationalId`/`.invalidNationalId`; `.providerUnavailable`), or `CancellationError`.
    /// - Parameter maxAge: the `max_age` the authorization request sent, if any: the ID token must
    ///   then carry `auth_time` no older than that (plus the clock leeway), OpenID Connect Core §3.1.3.7 item 13.
    public func exchange(code: String, codeVerifier: String, expectedNonce: String, maxAge: Int? = nil) async throws -> BankIDIdentity {
        let metadata = try await discover()
        var request = HTTPClientRequest(url: metadata.tokenEndpoint)
        request.method = .POST
        // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
        let credentials = OIDCEncoding.formComponent(configuration.clientID) + ":"
            + OIDCEncoding.formComponent(configuration.clientSecret)
        request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = OIDCEncoding.form([
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", configuration.redirectURI),
            ("code_verifier", codeVerifier),
        ])
        request.body = .bytes(Array(form.utf8))

        let body: [UInt8]
        do {
            body = try await http.execute(request, idempotent: false).body
        } catch let error as ProviderError {
            throw Self.mapTokenError(error)
        }
        guard let answer = try? JSONDecoder().decode(BankIDTokenEndpointResponse.self, from: Data(body)) else {
            throw BankIDError.invalidTokenResponse(reason: "not a JSON token response")
        }
        guard answer.tokenType?.lowercased() == "bearer" else {
            throw BankIDError.invalidTokenResponse(reason: "token_type is not Bearer")
        }
        guard let idToken = answer.idToken else {
            throw BankIDError.invalidTokenResponse(reason: "no id_token (is openid in the scope?)")
        }
        let identity = try await verifyIDToken(idToken, expectedNonce: expectedNonce, maxAge: maxAge)
        logger.info("bankid sign-in verified", metadata: ["issuer": "\(identity.issuer)", "acr": "\(identity.acr ?? "-")"])
        return identity
    }

    /// Checks an ID token: RS256 signature by a key in the provider's JWKS (fetched again once
    /// for an unknown `kid`), then issuer, audience, expiry, nonce and (when `max_age` was sent) `auth_time`; then reads the person.
    func verifyIDToken(_ token: String, expectedNonce: String, maxAge: Int? = nil) async throws -> BankIDIdentity {
        let header = try BankIDIDTokenVerifier.header(of: token)
        guard header.alg == "RS256" else {
            logger.warning("bankid ID token with an unexpected algorithm", metadata: ["alg": "\(header.alg.prefix(16))"])
            throw BankIDError.invalidSignature
        }
        guard let kid = header.kid else { throw BankIDError.unknownKey }
        var ring = try await keyRing(refresh: false)
        if !ring.keyIDs.contains(kid) {
            logger.info("bankid ID token signed with an unknown kid; fetching the JWKS again")
            ring = try await keyRing(refresh: true)
        }
        let claims = try await ring.verify(token, kid: kid)
        let verifier = self.verifier
        try verifier.checkClaims(claims, expectedNonce: expectedNonce, maxAge: maxAge, now: now())
        return try verifier.identity(from: claims)
    }

    static func mapTokenError(_ error: ProviderError) -> BankIDError {
        switch error {
        case .http(_, let status, let body):
            let oauthError = (try? JSONDecoder().decode(BankIDTokenEndpointError.self, from: Data(body.utf8)))?.error
            return .tokenRequestRejected(oauthError: oauthError ?? "http_\(status)")
        case .decoding(_, let reason):
            return .invalidTokenResponse(reason: reason)
        default:
            return mapProviderError(error, what: "token endpoint")
        }
    }
}
