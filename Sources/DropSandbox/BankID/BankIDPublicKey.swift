/// One entry of the sandbox's JWKS (RFC 7517): the public half of a signing key.
struct BankIDPublicKey: Codable, Sendable, Hashable {
    var kty = "RSA"
    let kid: String
    var use = "sig"
    var alg = "RS256"
    /// Modulus, base64url, big-endian without leading zeros.
    let n: String
    /// Public exponent, base64url.
    let e: String
}

/// The JWKS document served at `/protocol/openid-connect/certs`.
struct BankIDKeySet: Codable, Sendable {
    let keys: [BankIDPublicKey]
}
