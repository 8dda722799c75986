/// A user's own caps on what they send per day and per month, in NOK.
///
/// Users may lower them (a guard against fraud or their own impulses) but never raise them above
/// the product maximums: 50,000 NOK a day (one maximal transfer) and 200,000 NOK a calendar month.
public struct SpendingLimits: Sendable, Hashable, Codable {
    public let daily: Money
    public let monthly: Money

    public static let maximumDaily = Money(minorUnits: 50_000_00, currency: .nok)
    public static let maximumMonthly = Money(minorUnits: 200_000_00, currency: .nok)

    /// Where every user starts.
    public static let productMaximum = SpendingLimits(uncheckedDaily: maximumDaily, monthly: maximumMonthly)

    /// Limits as given, validated (NOK, 0 ≤ value ≤ product maximum).
    public init(daily: Money, monthly: Money) throws(SpendingLimitError) {
        try Self.check(daily, maximum: Self.maximumDaily, field: "daily")
        try Self.check(monthly, maximum: Self.maximumMonthly, field: "monthly")
        self.daily = daily
        self.monthly = monthly
    }

    private init(uncheckedDaily daily: Money, monthly: Money) {
        self.daily = daily
        self.monthly = monthly
    }

    /// These limits with `daily` and/or `monthly` replaced. Despite the name any value within
    /// 0…product maximum is accepted, so a user can also restore a limit they lowered earlier.
    public func lowered(daily: Money? = nil, monthly: Money? = nil) throws(SpendingLimitError) -> SpendingLimits {
        try SpendingLimits(daily: daily ?? self.daily, monthly: monthly ?? self.monthly)
    }

    /// Whether `amount` fits after what was already sent today and this month (all NOK).
    /// Refusal names the limit hit and how much is still available under it.
    public func check(amount: Money, spentToday: Money, spentThisMonth: Money) throws(MoneyError) -> LimitDecision {
        let todayAfter = try spentToday.adding(amount)
        let monthAfter = try spentThisMonth.adding(amount)
        if try todayAfter.isGreater(than: daily) {
            return .exceeds(.daily, remaining: try Self.remaining(daily, spentToday))
        }
        if try monthAfter.isGreater(than: monthly) {
            return .exceeds(.monthly, remaining: try Self.remaining(monthly, spentThisMonth))
        }
        return .allowed
    }

    private static func remaining(_ limit: Money, _ spent: Money) throws(MoneyError) -> Money {
        let left = try limit.subtracting(spent)
        return left.isNegative ? .zero(.nok) : left
    }

    private static func check(_ value: Money, maximum: Money, field: String) throws(SpendingLimitError) {
        guard value.currency == .nok else { throw .notNOK(field: field) }
        guard !value.isNegative else { throw .negative(field: field) }
        guard value.minorUnits <= maximum.minorUnits else { throw .aboveProductMaximum(field: field, maximum: maximum) }
    }
}

/// The outcome of checking a transfer against spending limits.
public enum LimitDecision: Sendable, Hashable {
    case allowed
    case exceeds(LimitKind, remaining: Money)
}

/// Which spending limit was hit.
public enum LimitKind: String, Sendable, Hashable, Codable, CaseIterable {
    case daily, monthly
}

/// Why a spending limit could not be set.
public enum SpendingLimitError: Error, Sendable, Hashable {
    case notNOK(field: String)
    case negative(field: String)
    case aboveProductMaximum(field: String, maximum: Money)
}
