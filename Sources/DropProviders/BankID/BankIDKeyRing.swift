import Foundation
import JWTKit

/// The provider's RS256 verification keys from its JWKS, by `kid`.
///
/// Only RSA signing keys are taken, and each is bound to RS256 here, so a token cannot pick
/// its own algorithm ("alg confusion"). Keys without a `kid`, for encryption, or too short are skipped.
struct BankIDKeyRing: Sendable {
    let keyIDs: Set<String>
    let collection: JWTKeyCollection

    private struct KeySet: Decodable {
        let keys: [Key]
    }

    private struct Key: Decodable {
        let kty: String?
        let kid: String?
        let use: String?
        let alg: String?
        let n: String?
        let e: String?
    }

    /// - Throws: `.discoveryFailed` when the document is unreadable or has no usable key.
    static func make(jwks body: [UInt8]) async throws(BankIDError) -> BankIDKeyRing {
        let keySet: KeySet
        do {
            keySet = try JSONDecoder().decode(KeySet.self, from: Data(body))
        } catch {
            throw .discoveryFailed(reason: "the JWKS is not a JSON Web Key Set")
        }
        let collection = JWTKeyCollection()
        var keyIDs: Set<String> = []
        for key in keySet.keys {
            guard key.kty == "RSA", let kid = key.kid, let n = key.n, let e = key.e,
                  key.use == nil || key.use == "sig", key.alg == nil || key.alg == "RS256",
                  let publicKey = try? Insecure.RSA.PublicKey(modulus: n, exponent: e) else { continue }
            await collection.add(rsa: publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
            keyIDs.insert(kid)
        }
        guard !keyIDs.isEmpty else { throw .discoveryFailed(reason: "the JWKS has no RS256 signing key") }
        return BankIDKeyRing(keyIDs: keyIDs, collection: collection)
    }

    /// The payload of `token` if `kid`'s key signed it.
    func verify(_ token: String, kid: String) async throws(BankIDError) -> BankIDIDTokenPayload {
        // The collection falls back to a default key for unknown kids; callers check `keyIDs` first.
        guard keyIDs.contains(kid) else { throw .unknownKey }
        do {
            return try await collection.verify(token, as: BankIDIDTokenPayload.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .invalidSignature
        } catch {
            throw .malformedIDToken(reason: "the claims could not be read")
        }
    }
}
