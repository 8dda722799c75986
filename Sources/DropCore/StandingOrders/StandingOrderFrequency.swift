/// How often a standing transfer is paid. The raw value is the API's; `bankCode` is the
/// NextGenPSD2 `frequency` the bank's periodic payment carries.
public enum StandingOrderFrequency: String, Sendable, Hashable, Codable, CaseIterable {
    case weekly
    case everyTwoWeeks = "every_two_weeks"
    case monthly
    case quarterly

    public var bankCode: String {
        switch self {
        case .weekly: "Weekly"
        case .everyTwoWeeks: "EveryTwoWeeks"
        case .monthly: "Monthly"
        case .quarterly: "Quarterly"
        }
    }

    public init?(bankCode: String) {
        guard let match = Self.allCases.first(where: { $0.bankCode == bankCode }) else { return nil }
        self = match
    }

    /// Monthly and quarterly orders are paid on a day of the month; the others on a weekday.
    public var isMonthBased: Bool { self == .monthly || self == .quarterly }
}
