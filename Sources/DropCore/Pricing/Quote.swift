/// A priced remittance, shown to the user before they confirm.
///
/// `total = send + fee` is what leaves the user's account; `receive` is what the recipient gets.
/// Times are Unix seconds so DropCore stays Foundation-free; the API layer formats them.
public struct Quote: Sendable, Hashable, Codable {
    public let corridor: Corridor
    /// The amount converted, in NOK.
    public let send: Money
    /// Drop's fee, 0.5 % of `send`, in NOK.
    public let fee: Money
    /// `send + fee`, in NOK.
    public let total: Money
    /// Target-currency units per 1 NOK, exactly as used for `receive`.
    public let rate: FixedPointRate
    /// What the recipient receives, in the corridor's currency.
    public let receive: Money
    /// When the quote was made, Unix seconds.
    public let createdAt: Int64
    /// From this instant (Unix seconds) on the quote can no longer be used.
    public let expiresAt: Int64
    /// The business day of the reference rate, "YYYY-MM-DD".
    public let rateAsOf: String

    public init(
        corridor: Corridor, send: Money, fee: Money, total: Money, rate: FixedPointRate, receive: Money,
        createdAt: Int64, expiresAt: Int64, rateAsOf: String
    ) {
        self.corridor = corridor
        self.send = send
        self.fee = fee
        self.total = total
        self.rate = rate
        self.receive = receive
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.rateAsOf = rateAsOf
    }

    /// Whether the quote may still be accepted at `now` (Unix seconds): before `expiresAt`, not at it
    /// (`Pricing.priceHolds(until:now:)`, the rule the app counts down by too).
    public func isValid(at now: Int64) -> Bool { Pricing.priceHolds(until: expiresAt, now: now) }
}
