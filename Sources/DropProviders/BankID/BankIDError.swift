/// Why signing in with BankID (or another OpenID provider) failed, in terms the API can answer with.
///
/// `.providerUnavailable` means "try again later" (503 with `Retry-After`); the token checks
/// (`.invalidSignature` … `.nonceMismatch`) mean the answer cannot be trusted and the sign-in must
/// start over; none of them carries personal data.
public enum BankIDError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The discovery document or JWKS is missing, unreadable, or names another issuer.
    case discoveryFailed(reason: String)
    /// The token endpoint refused the code, e.g. `invalid_grant` (used, expired, PKCE mismatch)
    /// or `invalid_client` (wrong secret). `oauthError` is RFC 6749's `error` code, or
    /// `http_<status>` when the answer had none.
    case tokenRequestRejected(oauthError: String)
    /// The token endpoint answered 2xx with something that is not a token response.
    case invalidTokenResponse(reason: String)
    /// The ID token is not a well-formed JWT with the claims OpenID Connect requires.
    case malformedIDToken(reason: String)
    /// The signature does not verify, or the token is not RS256.
    case invalidSignature
    /// The token's `kid` is not in the provider's JWKS, even after fetching it again.
    case unknownKey
    case issuerMismatch
    /// `aud` does not contain our client id, or `azp` names another client.
    case audienceMismatch
    /// `exp` has passed (beyond the leeway).
    case expired
    /// `iat` (or `nbf`) lies in the future (beyond the leeway): a clock or a forgery problem.
    case notYetValid
    case nonceMismatch
    /// `acr` is missing or not a level of assurance Drop accepts (e.g. BankID biometrics, LoA3,
    /// where BankID's LoA4 was asked for).
    case assuranceTooLow
    /// `max_age` was sent but the ID token has no `auth_time`.
    case missingAuthTime
    /// `max_age` was sent and `auth_time` is older than it (beyond the leeway): the provider did
    /// not make the person authenticate again.
    case authenticationTooOld
    /// None of `nnin_altsub` (BankID), `pid` (ID-porten), `nin` (Signicat, Vipps) is present.
    case missingNationalId
    /// The national identity number claim is not a valid Norwegian number.
    case invalidNationalId
    /// The provider could not be reached, timed out, answered 5xx, or its circuit is open.
    case providerUnavailable(retryAfter: Duration?)

    public var description: String {
        switch self {
        case .discoveryFailed(let reason): "BankID discovery failed: \(reason)"
        case .tokenRequestRejected(let oauthError): "BankID token request rejected: \(oauthError)"
        case .invalidTokenResponse(let reason): "BankID token response invalid: \(reason)"
        case .malformedIDToken(let reason): "BankID ID token malformed: \(reason)"
        case .invalidSignature: "BankID ID token signature invalid"
        case .unknownKey: "BankID ID token signed with an unknown key"
        case .issuerMismatch: "BankID ID token from another issuer"
        case .audienceMismatch: "BankID ID token for another client"
        case .expired: "BankID ID token expired"
        case .notYetValid: "BankID ID token issued in the future"
        case .nonceMismatch: "BankID ID token nonce mismatch"
        case .assuranceTooLow: "BankID ID token acr is not an accepted level of assurance"
        case .missingAuthTime: "BankID ID token has no auth_time although max_age was sent"
        case .authenticationTooOld: "BankID ID token auth_time is older than max_age"
        case .missingNationalId: "BankID ID token has no national identity number"
        case .invalidNationalId: "BankID ID token has an invalid national identity number"
        case .providerUnavailable(let retryAfter):
            "BankID unavailable" + (retryAfter.map { " (retry after \($0))" } ?? "")
        }
    }
}
