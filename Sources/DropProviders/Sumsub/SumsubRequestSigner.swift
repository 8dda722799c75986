import Crypto
import DropCore

/// Signs Sumsub API requests the way Sumsub checks them (docs/protocols.md §2): the app token, the
/// time in unix seconds, and a lowercase hex HMAC-SHA256 with the secret key over
/// `timestamp + METHOD + pathWithQuery + body bytes`.
///
/// The signature covers the exact request target and body bytes that go on the wire, so the
/// caller signs the same strings it sends. Not `CustomStringConvertible` on purpose: the secret
/// must never reach a log line.
public struct SumsubRequestSigner: Sendable {
    public static let appTokenHeader = "X-App-Token"
    public static let timestampHeader = "X-App-Access-Ts"
    public static let signatureHeader = "X-App-Access-Sig"

    public let appToken: String
    private let secretKey: SymmetricKey

    public init(appToken: String, secretKey: String) {
        self.appToken = appToken
        self.secretKey = SymmetricKey(data: Array(secretKey.utf8))
    }

    /// The `X-App-Access-Sig` value for one request.
    /// - Parameters:
    ///   - timestamp: unix seconds, the value sent as `X-App-Access-Ts`.
    ///   - method: the HTTP method; upper-cased before signing, as Sumsub does.
    ///   - pathWithQuery: the request target exactly as sent, e.g. `/resources/applicants?levelName=basic-kyc-level`.
    ///   - body: the body bytes exactly as sent; empty for GET.
    public func signature(timestamp: Int, method: String, pathWithQuery: String, body: [UInt8] = []) -> String {
        var message = Array("\(timestamp)\(method.uppercased())\(pathWithQuery)".utf8)
        message.append(contentsOf: body)
        return Hex.string(of: HMAC<SHA256>.authenticationCode(for: message, using: secretKey))
    }

    /// The three authentication headers for one request.
    public func headers(
        timestamp: Int, method: String, pathWithQuery: String, body: [UInt8] = []
    ) -> [(name: String, value: String)] {
        [
            (Self.appTokenHeader, appToken),
            (Self.timestampHeader, String(timestamp)),
            (Self.signatureHeader, signature(timestamp: timestamp, method: method, pathWithQuery: pathWithQuery, body: body)),
        ]
    }
}
