import DropCore

/// The customer's limits, the product maximums, and what they have used in this Oslo day and month.
public struct SpendingLimitsView: Encodable, Sendable {
    public struct Pair: Encodable, Sendable {
        public let daily: Money
        public let monthly: Money
    }

    public let daily: Money
    public let monthly: Money
    public let maximum: Pair
    public let used: Pair
    /// What may still be sent today and this month (never negative).
    public let remaining: Pair

    init(limits: SpendingLimits, usedToday: Money, usedThisMonth: Money) {
        daily = limits.daily
        monthly = limits.monthly
        maximum = Pair(daily: SpendingLimits.maximumDaily, monthly: SpendingLimits.maximumMonthly)
        used = Pair(daily: usedToday, monthly: usedThisMonth)
        func left(_ limit: Money, _ spent: Money) -> Money {
            Money(minorUnits: max(0, limit.minorUnits - spent.minorUnits), currency: .nok)
        }
        remaining = Pair(daily: left(limits.daily, usedToday), monthly: left(limits.monthly, usedThisMonth))
    }
}
