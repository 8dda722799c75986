import Foundation

/// A return of NOK the partner holds for a payout that won't be made, back to the account it came from.
public struct PayoutReturn: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Accepted; the partner pays it back after its own processing time.
        case pending
        /// The NOK has been paid back to the sender's account.
        case completed
        /// The partner could not pay it back (the sender's account closed, say): the NOK stays with
        /// the partner and a person settles it (`reason` is the partner's code).
        case failed
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
    /// Why a `failed` return failed, the partner's code (e.g. `AC04`, account closed).
    public let reason: String?

    public init(id: String, returnId: String, endToEndId: String, amountMinor: Int64, currency: String, status: Status, completedAt: Date?,
                reason: String? = nil) {
        self.id = id
        self.returnId = returnId
        self.endToEndId = endToEndId
        self.amountMinor = amountMinor
        self.currency = currency
        self.status = status
        self.completedAt = completedAt
        self.reason = reason
    }
}

extension PayoutReturn {
    /// What in the partner's answer is not the return Drop asked for (`id`, `return_id`,
    /// `end_to_end_id`, `amount`, `currency`), nil when it is that return. An id Drop can't ask
    /// about later (1–35 of `[A-Za-z0-9-]`) counts too: stored, it would be refused on every read.
    public func mismatch(returnId: String, endToEndId: String, amountMinor: Int64) -> String? {
        if !PayoutClient.isMessageId(id) { return "id" }
        if self.returnId != returnId { return "return_id" }
        if self.endToEndId != endToEndId { return "end_to_end_id" }
        if self.amountMinor != amountMinor { return "amount" }
        if currency != "NOK" { return "currency" }
        return nil
    }
}
