import Crypto
import Foundation
import Hummingbird

/// `POST /protocol/openid-connect/token`: the authorization code grant with `client_secret_basic`
/// and PKCE S256 (RFC 6749 §4.1.3, RFC 7636 §4.6).
extension BankIDSandbox {
    func exchangeCode(_ request: Request) async -> Response {
        guard let client = authenticatedClient(request) else {
            return BankIDResponses.oauthError(
                "invalid_client", description: "Client authentication failed (HTTP Basic with client_id and client_secret).",
                status: .unauthorized, extraHeaders: [.wwwAuthenticate: #"Basic realm="bankid-sandbox""#]
            )
        }
        guard let form = await Self.formParameters(of: request) else {
            return BankIDResponses.oauthError("invalid_request", description: "Send the parameters as application/x-www-form-urlencoded.")
        }
        if let name = form.repeated(among: ["grant_type", "code", "redirect_uri", "code_verifier", "client_id"]) {
            return BankIDResponses.oauthError("invalid_request", description: "The parameter \(name) occurs more than once.")
        }
        if let bodyClientID = form["client_id"], bodyClientID != client.clientID {
            return BankIDResponses.oauthError("invalid_request", description: "client_id does not match the authenticated client.")
        }
        guard let grantType = form["grant_type"] else {
            return BankIDResponses.oauthError("invalid_request", description: "grant_type is required.")
        }
        guard grantType == "authorization_code" else {
            return BankIDResponses.oauthError("unsupported_grant_type", description: "Only authorization_code is supported.")
        }
        guard let code = form["code"], let redirectURI = form["redirect_uri"], let verifier = form["code_verifier"] else {
            return BankIDResponses.oauthError("invalid_request", description: "code, redirect_uri and code_verifier are required.")
        }
        guard Self.isWellFormedVerifier(verifier) else {
            return BankIDResponses.oauthError(
                "invalid_request", description: "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~."
            )
        }

        let time = now()
        let redeemed = grants.redeem(
            code: code, clientID: client.clientID, redirectURI: redirectURI, codeVerifier: verifier,
            accessTokenLifetime: Self.tokenLifetime, now: time
        )
        switch redeemed {
        case .failure(let failure):
            logger.notice("bankid sandbox refused a code", metadata: [
                "client_id": "\(client.clientID)", "reason": "\(failure)",
            ])
            return BankIDResponses.oauthError("invalid_grant", description: failure.description)
        case .success(let redeemed):
            let (grant, accessToken) = (redeemed.grant, redeemed.accessToken)
            do {
                let idToken = try await keys.sign(idTokenClaims(for: grant, accessToken: accessToken, issuedAt: time))
                return BankIDResponses.json(BankIDTokenResponse(
                    accessToken: accessToken, expiresIn: Int(Self.tokenLifetime), idToken: idToken,
                    scope: grant.scopes.joined(separator: " ")
                ))
            } catch {
                logger.error("bankid sandbox could not sign an ID token", metadata: ["error": "\(error)"])
                return BankIDResponses.oauthError("server_error", description: "The ID token could not be signed.", status: .internalServerError)
            }
        }
    }

    func idTokenClaims(for grant: BankIDAuthorizationGrant, accessToken: String, issuedAt time: Date) -> BankIDIDTokenClaims {
        let person = grant.person
        let profile = grant.scopes.contains("profile")
        let accessTokenHash = SHA256.hash(data: Data(accessToken.utf8))
        return BankIDIDTokenClaims(
            iss: issuer,
            sub: pseudonyms.subject(nationalId: person.nationalId, clientID: grant.clientID),
            aud: grant.clientID,
            exp: Int(time.timeIntervalSince1970 + Self.tokenLifetime),
            iat: Int(time.timeIntervalSince1970),
            authTime: Int(grant.authenticatedAt.timeIntervalSince1970),
            nonce: grant.nonce,
            acr: grant.assurance.acr,
            amr: grant.assurance.amr,
            azp: grant.clientID,
            typ: "ID",
            atHash: BankIDBase64URL.encode(Array(accessTokenHash).prefix(16)),
            bankIDAltSub: pseudonyms.bankIDPersonalIdentifier(nationalId: person.nationalId),
            name: profile ? person.name : nil,
            givenName: profile ? person.givenName : nil,
            familyName: profile ? person.familyName : nil,
            birthdate: profile ? person.birthdate : nil,
            nninAltSub: grant.scopes.contains("nnin_altsub") ? person.nationalId : nil
        )
    }

    /// The registered client whose credentials the `Authorization: Basic` header carries.
    /// Both halves are form-url-encoded before base64 (RFC 6749 §2.3.1).
    private func authenticatedClient(_ request: Request) -> BankIDSandboxClient? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let credentials = String(data: decoded, encoding: .utf8),
              let colon = credentials.firstIndex(of: ":") else { return nil }
        let clientID = BankIDFormParameters.decode(credentials[..<colon])
        let secret = BankIDFormParameters.decode(credentials[credentials.index(after: colon)...])
        guard let client = clients[clientID] else { return nil }
        // Digests compare in constant time, so response timing says nothing about the secret.
        guard SHA256.hash(data: Data(secret.utf8)) == SHA256.hash(data: Data(client.clientSecret.utf8)) else { return nil }
        return client
    }

    /// RFC 7636 §4.1: 43–128 characters of the unreserved set.
    static func isWellFormedVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                true
            default:
                false
            }
        }
    }
}
