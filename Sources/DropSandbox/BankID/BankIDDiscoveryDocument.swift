/// `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0), shaped like BankID's.
struct BankIDDiscoveryDocument: Encodable, Sendable {
    let issuer: String
    let authorizationEndpoint: String
    let tokenEndpoint: String
    let userinfoEndpoint: String
    let jwksURI: String
    let responseTypesSupported = ["code"]
    let responseModesSupported = ["query"]
    let grantTypesSupported = ["authorization_code"]
    let subjectTypesSupported = ["pairwise"]
    let idTokenSigningAlgValuesSupported = ["RS256"]
    let codeChallengeMethodsSupported = ["S256"]
    let tokenEndpointAuthMethodsSupported = ["client_secret_basic"]
    let scopesSupported = BankIDAuthorizationRequest.supportedScopes
    let claimsSupported = [
        "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "typ", "at_hash",
        "bankid_altsub", "name", "given_name", "family_name", "birthdate", "nnin_altsub",
    ]
    let acrValuesSupported = BankIDAssuranceLevel.supportedValues
    let claimsParameterSupported = false
    let requestParameterSupported = false

    init(issuer: String) {
        self.issuer = issuer
        authorizationEndpoint = issuer + BankIDSandbox.Path.authorization
        tokenEndpoint = issuer + BankIDSandbox.Path.token
        userinfoEndpoint = issuer + BankIDSandbox.Path.userinfo
        jwksURI = issuer + BankIDSandbox.Path.certs
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case jwksURI = "jwks_uri"
        case responseTypesSupported = "response_types_supported"
        case responseModesSupported = "response_modes_supported"
        case grantTypesSupported = "grant_types_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case scopesSupported = "scopes_supported"
        case claimsSupported = "claims_supported"
        case acrValuesSupported = "acr_values_supported"
        case claimsParameterSupported = "claims_parameter_supported"
        case requestParameterSupported = "request_parameter_supported"
    }
}
