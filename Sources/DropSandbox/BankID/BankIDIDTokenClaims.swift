import JWTKit

/// The claims of a BankID ID token (docs/protocols.md §3). Profile claims and `nnin_altsub` are only
/// present when their scope was granted, as at BankID.
struct BankIDIDTokenClaims: JWTPayload, Sendable {
    let iss: String
    let sub: String
    let aud: String
    let exp: Int
    let iat: Int
    let authTime: Int
    let nonce: String
    let acr: String
    let amr: [String]
    let azp: String
    let typ: String
    /// Left half of SHA-256 of the access token (OpenID Connect Core §3.1.3.6).
    let atHash: String
    let bankIDAltSub: String
    let name: String?
    let givenName: String?
    let familyName: String?
    let birthdate: String?
    let nninAltSub: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, acr, amr, azp, typ, name, birthdate
        case authTime = "auth_time"
        case atHash = "at_hash"
        case bankIDAltSub = "bankid_altsub"
        case givenName = "given_name"
        case familyName = "family_name"
        case nninAltSub = "nnin_altsub"
    }

    /// The sandbox only signs; relying parties verify.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
