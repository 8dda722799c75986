import JWTKit

/// The ID token claims Drop reads, decoded leniently where providers differ
/// (`aud` and `amr` may be a string or an array; numbers may be fractional).
struct BankIDIDTokenPayload: JWTPayload, Sendable {
    let iss: String
    let sub: String
    let aud: [String]
    let exp: Double
    let iat: Double
    let nbf: Double?
    let authTime: Double?
    let nonce: String?
    let azp: String?
    let acr: String?
    let amr: [String]
    let name: String?
    let givenName: String?
    let familyName: String?
    let birthdate: String?
    let bankIDAltSub: String?
    /// BankID's national identity number claim.
    let nninAltSub: String?
    /// ID-porten's.
    let pid: String?
    /// Signicat's and Vipps's, with its country.
    let nin: String?
    let ninIssuingCountry: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, nonce, azp, acr, amr, name, birthdate, pid, nin
        case authTime = "auth_time"
        case givenName = "given_name"
        case familyName = "family_name"
        case bankIDAltSub = "bankid_altsub"
        case nninAltSub = "nnin_altsub"
        case ninIssuingCountry = "nin_issuing_country"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        aud = try Self.stringOrArray(container, .aud) ?? []
        exp = try container.decode(Double.self, forKey: .exp)
        iat = try container.decode(Double.self, forKey: .iat)
        nbf = try container.decodeIfPresent(Double.self, forKey: .nbf)
        authTime = try container.decodeIfPresent(Double.self, forKey: .authTime)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        azp = try container.decodeIfPresent(String.self, forKey: .azp)
        acr = try container.decodeIfPresent(String.self, forKey: .acr)
        amr = try Self.stringOrArray(container, .amr) ?? []
        name = try? container.decodeIfPresent(String.self, forKey: .name)
        givenName = try? container.decodeIfPresent(String.self, forKey: .givenName)
        familyName = try? container.decodeIfPresent(String.self, forKey: .familyName)
        birthdate = try? container.decodeIfPresent(String.self, forKey: .birthdate)
        bankIDAltSub = try? container.decodeIfPresent(String.self, forKey: .bankIDAltSub)
        nninAltSub = try? container.decodeIfPresent(String.self, forKey: .nninAltSub)
        pid = try? container.decodeIfPresent(String.self, forKey: .pid)
        nin = try? container.decodeIfPresent(String.self, forKey: .nin)
        ninIssuingCountry = try? container.decodeIfPresent(String.self, forKey: .ninIssuingCountry)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(sub, forKey: .sub)
        try container.encode(aud, forKey: .aud)
        try container.encode(exp, forKey: .exp)
        try container.encode(iat, forKey: .iat)
    }

    private static func stringOrArray(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [String]? {
        if let single = try? container.decodeIfPresent(String.self, forKey: key) { return [single] }
        return try container.decodeIfPresent([String].self, forKey: key)
    }

    /// Claims are checked by `BankIDIDTokenVerifier` against the injected clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
