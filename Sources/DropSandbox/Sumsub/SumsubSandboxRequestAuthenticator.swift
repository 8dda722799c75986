import Crypto
import DropCore
import Foundation

/// Checks Sumsub's app-token signature on an API request, as Sumsub does: the token is known, the
/// timestamp is close to now, and `X-App-Access-Sig` is the HMAC-SHA256 (with that token's secret
/// key) of `timestamp + METHOD + request target + body bytes`, compared in constant time.
struct SumsubSandboxRequestAuthenticator: Sendable {
    /// Why a request was refused; logged at debug level, never sent (the answer is always the same).
    enum Refusal: String, Sendable {
        case missingHeaders = "authentication headers missing"
        case unknownAppToken = "unknown app token"
        case badTimestamp = "timestamp not a number"
        case staleTimestamp = "timestamp outside the allowed window"
        case badSignature = "signature does not match"
    }

    private let secretKeys: [String: String]
    private let tolerance: Duration

    init(credentials: [SumsubSandboxConfiguration.AppCredential], tolerance: Duration) {
        secretKeys = Dictionary(credentials.map { ($0.appToken, $0.secretKey) }, uniquingKeysWith: { first, _ in first })
        self.tolerance = tolerance
    }

    /// Nil when the request is authentic, else why not.
    /// - Parameter target: the request target exactly as received (path and query, not decoded).
    func refusal(
        appToken: String?, timestamp: String?, signature: String?,
        method: String, target: String, body: [UInt8], now: Date
    ) -> Refusal? {
        guard let appToken, let timestamp, let signature else { return .missingHeaders }
        guard let secretKey = secretKeys[appToken] else { return .unknownAppToken }
        guard let seconds = Int(timestamp) else { return .badTimestamp }
        let skew = abs(now.timeIntervalSince1970 - Double(seconds))
        guard skew <= Double(tolerance.components.seconds) else { return .staleTimestamp }
        guard let code = Hex.bytes(from: signature) else { return .badSignature }
        var message = Array("\(timestamp)\(method.uppercased())\(target)".utf8)
        message.append(contentsOf: body)
        let key = SymmetricKey(data: Array(secretKey.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: message, using: key) else { return .badSignature }
        return nil
    }
}
