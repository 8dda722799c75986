import Foundation

/// What a merchant's QR code encodes. Static: `{base}/pay/{code}` (the payer types the amount).
/// Dynamic: the same plus `amount` (minor units, NOK), `ref`, `exp` (unix seconds) and `sig`, the
/// base64url HMAC-SHA256 of those terms (see `PaymentLinkSigner`), so nobody can change them.
public struct PaymentLink: Sendable, Hashable {
    /// The fixed terms of a dynamic link.
    public struct Terms: Sendable, Hashable {
        public let amountMinor: Int64
        public let reference: String
        /// Unix seconds; the link is good up to and including this second.
        public let expiresAt: Int64

        public init(amountMinor: Int64, reference: String, expiresAt: Int64) {
            self.amountMinor = amountMinor
            self.reference = reference
            self.expiresAt = expiresAt
        }
    }

    public let code: MerchantCode
    /// Nil for a static link.
    public let terms: Terms?
    /// base64url (no padding); present exactly when `terms` is.
    public let signature: String?

    public static func staticLink(_ code: MerchantCode) -> PaymentLink {
        PaymentLink(code: code, terms: nil, signature: nil)
    }

    /// A dynamic link with a signature someone else made (the one the payer's request carries).
    public static func dynamic(_ code: MerchantCode, terms: Terms, signature: String) -> PaymentLink {
        PaymentLink(code: code, terms: terms, signature: signature)
    }

    public var isDynamic: Bool { terms != nil }

    /// Whether a dynamic link good up to and including `expiresAt` (unix seconds) has run out at `now`.
    public static func hasExpired(_ expiresAt: Int64, at now: Date) -> Bool {
        Int64(now.timeIntervalSince1970.rounded(.down)) > expiresAt
    }

    /// The link as printed in the QR code. `base` is `PUBLIC_BASE_URL` (no trailing slash).
    public func url(base: String) -> String {
        let path = base + "/pay/" + code.value
        guard let terms, let signature else { return path }
        return path + "?amount=\(terms.amountMinor)&ref=\(Self.percentEncoded(terms.reference))&exp=\(terms.expiresAt)&sig=\(signature)"
    }

    /// The longest path (`/pay/{code}?amount=…&ref=…&exp=…&sig=…`) a dynamic link has when each of its
    /// reference's characters is one code point: a code, two numbers of up to 18 digits, the 43-character
    /// signature, and 35 characters of up to 4 UTF-8 bytes each, 3 characters per byte percent-encoded
    /// (a 35-letter Arabic reference alone is 210). 535.
    public static let longestPath = "/pay/".count + MerchantCode.length + "?amount=&ref=&exp=&sig=".count + 2 * decimalDigits
        + PaymentReference.maximumLength * 4 * 3 + PaymentLinkSigner.signatureLength

    /// Reads a link back. Only Drop's own links parse: the base must match, and a dynamic link
    /// must carry each of amount, exp and sig once (ref may be empty); nothing else may appear.
    /// Parsing checks the shape only; `PaymentLinkSigner.verify` checks signature and expiry.
    public static func parse(_ url: String, base: String) throws(PaymentLinkError) -> PaymentLink {
        let prefix = String(base.trimmingSuffixSlashes) + "/pay/"
        guard url.hasPrefix(prefix) else { throw .malformed("not a Drop payment link") }
        let rest = url.dropFirst(prefix.count)
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let code: MerchantCode
        do { code = try MerchantCode(String(parts[0])) } catch { throw .malformed("bad merchant code") }
        guard parts.count == 2, !parts[1].isEmpty else { return .staticLink(code) }

        var fields: [String: String] = [:]
        for pair in parts[1].split(separator: "&", omittingEmptySubsequences: false) {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard keyValue.count == 2, let value = percentDecoded(keyValue[1]) else { throw .malformed("bad query") }
            let key = String(keyValue[0])
            guard ["amount", "ref", "exp", "sig"].contains(key) else { throw .malformed("unknown parameter") }
            guard fields[key] == nil else { throw .malformed("repeated parameter") }
            fields[key] = value
        }
        guard let amount = fields["amount"].flatMap(decimal), amount > 0 else { throw .malformed("bad amount") }
        guard let expiry = fields["exp"].flatMap(decimal) else { throw .malformed("bad expiry") }
        guard let signature = fields["sig"], PaymentLinkSigner.decodeSignature(signature) != nil else { throw .malformed("bad signature") }
        let reference = fields["ref"] ?? ""
        guard PaymentReference.issue(reference) == nil else { throw .malformed("bad reference") }
        return .dynamic(code, terms: Terms(amountMinor: amount, reference: reference, expiresAt: expiry), signature: signature)
    }

    /// Plain decimal digits only: no sign, no spaces, no leading `+`, at most 18 digits.
    static func decimal(_ text: String) -> Int64? {
        guard (1...decimalDigits).contains(text.utf8.count), text.utf8.allSatisfy(ASCII.isDigit) else { return nil }
        return Int64(text)
    }

    static let decimalDigits = 18

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func percentDecoded(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

public enum PaymentLinkError: Error, Sendable, Equatable {
    /// Not a payment link Drop could have made.
    case malformed(String)
    /// The terms were changed or the signature was not made with Drop's key.
    case invalidSignature
    case expired
}

/// The payment reference a merchant puts on a dynamic link: at most 35 characters (what
/// Norwegian banks show of an unstructured message line), no control characters.
public enum PaymentReference {
    public static let maximumLength = 35

    /// Why the reference is refused, or nil when it is fine.
    public static func issue(_ reference: String) -> ValidationIssue? {
        // Code points, as the bank's Max35Text counts them: 35 emoji can be 200 of them.
        if reference.unicodeScalars.count > maximumLength {
            return ValidationIssue(field: "reference", issue: "too_long", message: "A reference has at most \(maximumLength) characters.")
        }
        if reference.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return ValidationIssue(field: "reference", issue: ValidationIssue.Code.format, message: "A reference cannot contain control characters.")
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSuffixSlashes: Substring {
        var value = Substring(self)
        while value.hasSuffix("/") { value = value.dropLast() }
        return value
    }
}
