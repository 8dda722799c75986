import Foundation

/// The link a sender shares with the person receiving the money, so they can follow it at
/// `/t/{token}` without an account. The page says only what the receiver needs: the payer's first
/// name, the amount on its way, where it is and when it should arrive. The link works until 30
/// days after the transfer ended.
public enum ReceiverTracking {
    /// How long a link keeps working after the transfer arrived, was returned or stopped.
    public static let lifetimeAfterEnd: TimeInterval = 30 * 86_400

    /// The bytes of a token: 256 bits, so links can't be guessed or walked.
    public static let tokenBytes = 32

    /// A new token: `tokenBytes` random bytes as base64url without padding (43 characters).
    public static func newToken(using generator: inout some RandomNumberGenerator) -> String {
        let bytes = (0..<tokenBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// Whether `text` has a token's shape; anything else is refused before a lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// When the transfer ended, or nil while it is still under way. A completed transfer has ended
    /// for the receiver even though the partner could still return it.
    public static func endedAt(status: TransferStatus, completedAt: Date?, updatedAt: Date) -> Date? {
        switch status {
        case .pendingSCA, .processing, .held: nil
        case .completed: completedAt ?? updatedAt
        case .failed, .cancelled, .expired, .refunded: updatedAt
        }
    }

    /// Whether a link still opens at `now`.
    public static func isOpen(endedAt: Date?, now: Date) -> Bool {
        guard let endedAt else { return true }
        return now.timeIntervalSince(endedAt) < lifetimeAfterEnd
    }

    /// The payer as the receiver sees them: the first given name, nothing more ("Anne-Marie" stays whole).
    public static func payerFirstName(givenName: String?, fullName: String?) -> String? {
        (givenName ?? fullName)?.split(separator: " ").first.map(String.init)
    }
}
