import DropCore
import Foundation

/// The encodings OpenID Connect clients need: base64url (JWTs, PKCE) and form-urlencoding (OAuth).
enum OIDCEncoding {
    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Base64URL.encode(Array(bytes))
    }

    /// Decodes unpadded base64url (as JWTs carry it); nil for anything else.
    static func base64URLDecoded(_ text: some StringProtocol) -> [UInt8]? {
        Base64URL.decode(String(text))
    }

    /// `count` bytes from the system's cryptographically secure generator, base64url-encoded.
    static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// `a=b&c=d`, percent-encoding everything outside the unreserved set (so also valid in a query).
    static func form(_ parameters: [(String, String)]) -> String {
        parameters.map { "\(formComponent($0.0))=\(formComponent($0.1))" }.joined(separator: "&")
    }

    static func formComponent(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
