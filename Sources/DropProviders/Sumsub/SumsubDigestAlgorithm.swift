import Crypto
import DropCore
import Foundation

/// The HMACs Sumsub signs webhooks with, named as `X-Payload-Digest-Alg` names them.
public enum SumsubDigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case hmacSHA1 = "HMAC_SHA1_HEX"
    /// Sumsub's default, also assumed when the header is absent.
    case hmacSHA256 = "HMAC_SHA256_HEX"
    case hmacSHA512 = "HMAC_SHA512_HEX"

    /// Lowercase hex HMAC of `body`.
    func digest(of body: some DataProtocol, key: SymmetricKey) -> String {
        switch self {
        case .hmacSHA1: Hex.string(of: HMAC<Insecure.SHA1>.authenticationCode(for: body, using: key))
        case .hmacSHA256: Hex.string(of: HMAC<SHA256>.authenticationCode(for: body, using: key))
        case .hmacSHA512: Hex.string(of: HMAC<SHA512>.authenticationCode(for: body, using: key))
        }
    }

    /// Whether `code` is the HMAC of `body`, compared in constant time.
    func isValid(_ code: [UInt8], for body: some DataProtocol, key: SymmetricKey) -> Bool {
        switch self {
        case .hmacSHA1: HMAC<Insecure.SHA1>.isValidAuthenticationCode(code, authenticating: body, using: key)
        case .hmacSHA256: HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: body, using: key)
        case .hmacSHA512: HMAC<SHA512>.isValidAuthenticationCode(code, authenticating: body, using: key)
        }
    }
}
