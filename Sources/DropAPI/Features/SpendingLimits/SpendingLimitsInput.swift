import DropCore

/// `PUT /v1/spending-limits`: either or both limits, in NOK.
public struct SpendingLimitsInput: Decodable, Sendable {
    public var daily: Money?
    public var monthly: Money?

    public init(daily: Money? = nil, monthly: Money? = nil) {
        self.daily = daily
        self.monthly = monthly
    }
}
