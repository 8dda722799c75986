import Foundation

/// A return of NOK the partner holds for a payout that won't be made, back to the account it came from.
public struct PayoutReturn: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Accepted; the partner pays it back after its own processing time.
        case pending
        /// The NOK has been paid back to the sender's account.
        case completed
    }

    /// The partner's id for the return.
    public let id: String
    /// Drop's id for it, sent as the idempotency key (one per transfer).
    public let returnId: String
    public let endToEndId: String
    public let amountMinor: Int64
    public let currency: String
    public let status: Status
    public let completedAt: Date?

    public init(id: String, returnId: String, endToEndId: String, amountMinor: Int64, currency: String, status: Status, completedAt: Date?) {
        self.id = id
        self.returnId = returnId
        self.endToEndId = endToEndId
        self.amountMinor = amountMinor
        self.currency = currency
        self.status = status
        self.completedAt = completedAt
    }
}
