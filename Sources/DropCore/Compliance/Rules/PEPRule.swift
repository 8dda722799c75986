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

    /// The alert a PEP hit raises when it is found on a customer already approved (ongoing screening):
    /// enhanced due diligence is due on the relationship now, with the payments already under way, not
    /// only at the next payment, which may never come.
    public static func hitFound(configuration: AMLConfiguration) -> AMLAssessment {
        let finding = AMLFinding(rule: .pep, score: configuration.pepScore,
                                 reason: "The identity check newly reported the customer as a politically exposed person.",
                                 minimumDecision: .alert)
        return AMLAssessment(findings: [finding], totalScore: finding.score, decision: .alert)
    }
}
