/// The token endpoint's success answer (RFC 6749 §5.1), as far as Drop needs it.
struct BankIDTokenEndpointResponse: Decodable, Sendable {
    let accessToken: String?
    let tokenType: String?
    let idToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case idToken = "id_token"
    }
}

/// The token endpoint's error answer (RFC 6749 §5.2).
struct BankIDTokenEndpointError: Decodable, Sendable {
    let error: String
}
