import Foundation

// The receiver's tracking link: shared by the sender, opened by anyone holding it.

/// `TrackingLinkShared`: pass `url` on (share sheet, SMS); it works until `expiresAt`.
public struct TrackingLink: Codable, Sendable, Hashable {
    public let url: URL
    /// 30 days after the transfer ended; nil while it is under way.
    public let expiresAt: Date?
}

/// `TrackedTransfer`: what the receiver sees.
public struct TrackedTransfer: Codable, Sendable, Hashable {
    public struct Step: Codable, Sendable, Hashable {
        public enum Name: String, Codable, Sendable, Hashable {
            case ordered, approved, onTheWay = "on_the_way", arrived
        }
        public enum State: String, Codable, Sendable, Hashable {
            case done, current, upcoming, stopped
        }
        public let step: Name
        public let state: State
    }

    /// The payer's first name only.
    public let payer: String?
    public let receive: Money?
    public let status: TransferStatus
    public let steps: [Step]
    public let estimatedDelivery: String?
    public let updatedAt: Date
    public let completedAt: Date?
}
