import DropCore
import Foundation

/// Identifiers in the shapes Sumsub uses, from the system's random generator.
enum SumsubSandboxIdentifiers {
    /// 24 hex characters like Sumsub's (MongoDB-style) ids: creation second, then 8 random bytes.
    static func objectId(at date: Date) -> String {
        let seconds = UInt32(truncatingIfNeeded: Int(date.timeIntervalSince1970.rounded(.down)))
        var bytes = withUnsafeBytes(of: seconds.bigEndian) { Array($0) }
        var generator = SystemRandomNumberGenerator()
        bytes += (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Hex.string(of: bytes)
    }

    /// Sumsub's short review and attempt ids: five random letters.
    static func shortId() -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String((0..<5).map { _ in letters.randomElement() ?? "X" })
    }

    /// `req-<uuid>`, the shape of Sumsub's correlation ids.
    static func correlationId() -> String {
        "req-" + RecordID.make()
    }

    /// A WebSDK access token: sandbox prefix and 256 random bits.
    static func accessToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return "_act-sbx-" + Hex.string(of: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
