/// The customer's overall risk rating (`users.risk_level`): set from screening (PEP or sanctions
/// hits make it `high`) and by compliance staff.
public enum CustomerRiskLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case low, medium, high
}
