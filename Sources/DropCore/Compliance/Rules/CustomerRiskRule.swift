/// The customer's risk rating adds weight to whatever else the transfer shows. No finding for a
/// rating whose score is 0 (by default `low` and `medium`).
public struct CustomerRiskRule: AMLRule {
    public let id = AMLRuleID.customerRisk
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let score: Int
        switch history.riskLevel {
        case .low: score = 0
        case .medium: score = configuration.mediumRiskCustomerScore
        case .high: score = configuration.highRiskCustomerScore
        }
        guard score > 0 else { return nil }
        return AMLFinding(rule: id, score: score, reason: "Customer is rated \(history.riskLevel.rawValue) risk.")
    }
}
