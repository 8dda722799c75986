/// The stable identifier of an AML rule, as stored with alerts (`aml_alerts.rule`) and shown to admins.
///
/// Declaration order is the engine's evaluation order and breaks ties between findings of equal score.
public enum AMLRuleID: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case sanctions = "sanctions"
    case pep = "pep"
    case customerRisk = "customer_risk"
    case largeAmount = "large_amount"
    case structuring = "structuring"
    case velocity24h = "velocity_24h"
    case velocity30d = "velocity_30d"
    case highRiskCountry = "high_risk_country"
    case newRecipientLargeAmount = "new_recipient_large_amount"
    case unusualAmount = "unusual_amount"
    case unusualCountry = "unusual_country"

    public static func < (lhs: AMLRuleID, rhs: AMLRuleID) -> Bool { lhs.position < rhs.position }

    private var position: Int { Self.allCases.firstIndex(of: self) ?? Self.allCases.count }
}
