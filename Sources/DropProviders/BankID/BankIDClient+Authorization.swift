import Crypto
import Foundation

/// The start of a sign-in: PKCE, state, nonce and the URL to send the browser to.
extension BankIDClient {
    /// The provider's authorize URL for this sign-in (`response_type=code`, PKCE S256, the configured `acr_values`).
    ///
    /// - Parameters:
    ///   - scope: defaults to the configured scope, `openid profile nnin_altsub`.
    ///   - prompt: e.g. `login` to make the person authenticate again even if the provider remembers them.
    ///   - maxAge: the most seconds the person's authentication may be old (OpenID Connect Core
    ///     §3.1.2.1); `0` asks for a fresh one. Pass the same value to `exchange` so `auth_time` is checked.
    /// - Throws: as `discover()`.
    public func authorizationURL(
        state: String, nonce: String, codeChallenge: String, scope: String? = nil, prompt: String? = nil, maxAge: Int? = nil
    ) async throws -> URL {
        let endpoint = try await discover().authorizationEndpoint
        var parameters: [(String, String)] = [
            ("response_type", "code"),
            ("client_id", configuration.clientID),
            ("redirect_uri", configuration.redirectURI),
            ("scope", scope ?? configuration.scope),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", codeChallenge),
            ("code_challenge_method", "S256"),
        ]
        if !configuration.acrValues.isEmpty { parameters.append(("acr_values", configuration.acrValues)) }
        if let prompt { parameters.append(("prompt", prompt)) }
        if let maxAge { parameters.append(("max_age", String(max(0, maxAge)))) }
        let query = OIDCEncoding.form(parameters)
        guard let url = URL(string: endpoint + (endpoint.contains("?") ? "&" : "?") + query) else {
            throw BankIDError.discoveryFailed(reason: "the authorization endpoint is not a URL")
        }
        return url
    }

    /// A PKCE code verifier (RFC 7636 §4.1): 32 random bytes, base64url, 43 characters.
    public static func makeCodeVerifier() -> String { OIDCEncoding.randomToken(bytes: 32) }

    /// The S256 challenge of `verifier`: BASE64URL(SHA-256(verifier)).
    public static func codeChallenge(for verifier: String) -> String {
        OIDCEncoding.base64URL(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// An unguessable `state` that ties the callback to the browser that started the sign-in.
    public static func makeState() -> String { OIDCEncoding.randomToken(bytes: 32) }

    /// An unguessable `nonce` that ties the ID token to this sign-in (replay protection).
    public static func makeNonce() -> String { OIDCEncoding.randomToken(bytes: 32) }
}
