import Crypto
import Foundation

/// Signs and checks dynamic payment links with Drop's `PAYMENT_LINK_SECRET`.
///
/// The MAC covers a canonical string in which every field is length-prefixed, so no choice of
/// reference can make two different sets of terms read the same:
///
///     drop-payment-link/v1
///     <utf8 length>:<code>
///     <utf8 length>:<amount minor units, decimal>
///     <utf8 length>:<reference>
///     <utf8 length>:<expiry, unix seconds, decimal>
public struct PaymentLinkSigner: Sendable {
    private let key: SymmetricKey
    /// Keys of earlier secrets, accepted while links made before a rotation are still valid.
    private let previousKeys: [SymmetricKey]

    public init(secret: String, previous: [String] = []) {
        key = SymmetricKey(data: Data(secret.utf8))
        previousKeys = previous.map { SymmetricKey(data: Data($0.utf8)) }
    }

    /// Signs with the first secret and accepts any of them (current first, then previous ones).
    public init(secrets: [String]) {
        self.init(secret: secrets.first ?? "", previous: Array(secrets.dropFirst()))
    }

    public static func canonicalString(code: MerchantCode, terms: PaymentLink.Terms) -> String {
        let fields = [code.value, String(terms.amountMinor), terms.reference, String(terms.expiresAt)]
        return "drop-payment-link/v1\n" + fields.map { "\($0.utf8.count):\($0)\n" }.joined()
    }

    public func sign(_ code: MerchantCode, terms: PaymentLink.Terms) -> PaymentLink {
        .dynamic(code, terms: terms, signature: Base64URL.encode(mac(code, terms)))
    }

    /// A static link is always good. A dynamic one must carry Drop's signature over exactly its
    /// terms (checked first, in constant time), and must not have expired at `now`.
    public func verify(_ link: PaymentLink, now: Date) throws(PaymentLinkError) {
        guard let terms = link.terms else { return }
        guard let signature = link.signature, let given = Self.decodeSignature(signature),
              ([key] + previousKeys).contains(where: { ConstantTime.equal(given, mac(link.code, terms, using: $0)) })
        else { throw .invalidSignature }
        guard !PaymentLink.hasExpired(terms.expiresAt, at: now) else { throw .expired }
    }

    /// What names a dynamic link's one purchase: the hex SHA-256 of its canonical terms. Taken
    /// from the terms, not the signature's text, so another spelling of the same signature
    /// (base64 has spare bits in its last character) is still the same purchase. Nil for a static link.
    public static func identifier(of link: PaymentLink) -> String? {
        guard let terms = link.terms else { return nil }
        return Hex.sha256(of: canonicalString(code: link.code, terms: terms))
    }

    private func mac(_ code: MerchantCode, _ terms: PaymentLink.Terms, using key: SymmetricKey? = nil) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(Self.canonicalString(code: code, terms: terms).utf8), using: key ?? self.key))
    }

    /// base64url without padding for a 32-byte MAC.
    static let signatureLength = 43

    /// base64url without padding for a 32-byte MAC (43 characters); nil for anything else.
    static func decodeSignature(_ text: String) -> [UInt8]? {
        guard text.utf8.count == signatureLength, let bytes = Base64URL.decode(text), bytes.count == 32 else { return nil }
        return bytes
    }
}
