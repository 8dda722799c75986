import Crypto
import Foundation

/// The link that proves a person reads the address they gave: `…/email/verify?token=…`.
///
/// Nothing is stored for it. The token is a MAC over the user's id, the link's expiry and a hash of
/// the address, so a link works only for the address it was sent to (changing the address makes
/// every earlier link void), only until it expires, and can't be made without Drop's key. The
/// address itself is not in the link, which ends up in browser histories and proxies' logs.
///
///     v1.<user id>.<expiry, unix seconds>.<first 16 bytes of SHA-256(lowercased address), hex>  →  base64url
///     token = base64url(that) "." base64url(HMAC-SHA256(key, that))
public struct EmailVerification: Sendable {
    /// How long a link works.
    public static let validity: TimeInterval = 48 * 3600

    public struct Claim: Sendable, Equatable {
        public let userId: String
        public let expiresAt: Date
        let addressHash: String

        /// Whether the link was sent to this address.
        public func isFor(_ address: String) -> Bool {
            ConstantTime.equal(addressHash, EmailVerification.addressHash(address))
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// Not a token Drop made (altered, truncated, or signed with another key).
        case invalid
        case expired
    }

    private let key: SymmetricKey

    /// The key is derived from a server secret for this one purpose, so it can't sign anything else.
    public init(secret: String) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
                                     info: Data("drop email verification v1".utf8), outputByteCount: 32)
    }

    public func token(userId: String, address: String, expiresAt: Date) -> String {
        let claim = "v1.\(userId).\(Int64(expiresAt.timeIntervalSince1970.rounded(.down))).\(Self.addressHash(address))"
        return Base64URL.encode(Array(claim.utf8)) + "." + Base64URL.encode(mac(claim))
    }

    /// The signature is checked (in constant time) before anything in the claim is believed.
    public func verify(_ token: String, now: Date) throws(Failure) -> Claim {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 512, parts.count == 2,
              let claimBytes = Base64URL.decode(String(parts[0])), let given = Base64URL.decode(String(parts[1])),
              ConstantTime.equal(given, mac(String(decoding: claimBytes, as: UTF8.self))) else { throw .invalid }
        let fields = String(decoding: claimBytes, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "v1", !fields[1].isEmpty, let expiry = Int64(fields[2]) else { throw .invalid }
        let claim = Claim(userId: String(fields[1]), expiresAt: Date(timeIntervalSince1970: TimeInterval(expiry)), addressHash: String(fields[3]))
        guard now <= claim.expiresAt else { throw .expired }
        return claim
    }

    private func mac(_ claim: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(claim.utf8), using: key))
    }

    static func addressHash(_ address: String) -> String {
        String(Hex.sha256(of: address.trimmingCharacters(in: .whitespaces).lowercased()).prefix(32))
    }
}
