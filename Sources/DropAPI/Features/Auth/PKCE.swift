import DropCore
import Crypto
import Foundation

/// Random values and PKCE (RFC 7636) helpers for the sign-in flows.
enum PKCE {
    /// 32 random bytes, base64url: state, nonce, verifiers and one-time codes.
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64URLEncoded()
    }

    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded()
    }

    /// 43–128 characters of the unreserved set, as RFC 7636 §4.1 requires.
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.count)
            && verifier.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) }
    }
}
