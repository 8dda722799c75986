/// The customer is a politically exposed person: enhanced due diligence, so at least
/// `AMLConfiguration.pepDecision` (an alert by default).
public struct PEPRule: AMLRule {
    public let id = AMLRuleID.pep
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        guard history.isPEP else { return nil }
        return AMLFinding(
            rule: id, score: configuration.pepScore,
            reason: "Customer is a politically exposed person (screening hit).", minimumDecision: configuration.pepDecision
        )
    }
}
