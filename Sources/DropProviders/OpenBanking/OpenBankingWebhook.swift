import Crypto
import DropCore
import Foundation

/// The signature on the bank's payment-status webhook:
/// `X-Drop-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, t + "." + raw body)>`.
public enum OpenBankingWebhook {
    /// The header value for `rawBody` signed at `timestamp`.
    public static func sign(rawBody: [UInt8], secret: String, timestamp: Date) -> String {
        let t = String(Int(timestamp.timeIntervalSince1970))
        return "t=\(t),v1=" + Hex.string(of: mac(t, rawBody, secret))
    }

    /// Whether the header is well formed, its MAC matches (compared in constant time) and its
    /// timestamp is within `tolerance` of `now`, either side.
    public static func verify(
        rawBody: [UInt8], signatureHeader: String?, secret: String, now: Date, tolerance: Duration = .seconds(300)
    ) -> Bool {
        guard let signatureHeader else { return false }
        var timestamp: String?
        var signatures: [String] = []
        for part in signatureHeader.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { return false }
            if pair[0] == "t" { timestamp = pair[1] } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, let seconds = Int(timestamp), !signatures.isEmpty else { return false }
        let age = now.timeIntervalSince1970 - Double(seconds)
        guard abs(age) <= Double(tolerance.components.seconds) else { return false }
        let expected = Array(Hex.string(of: mac(timestamp, rawBody, secret)).utf8)
        return signatures.contains { ConstantTime.equal(Array($0.lowercased().utf8), expected) }
    }

    private static func mac(_ timestamp: String, _ body: [UInt8], _ secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array((timestamp + ".").utf8) + body, using: SymmetricKey(data: Array(secret.utf8))))
    }
}
