/// The customer has a sanctions screening hit: no payment at all (`.block`), whatever else is true.
public struct SanctionsRule: AMLRule {
    public let id = AMLRuleID.sanctions
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        guard history.isSanctioned else { return nil }
        return AMLFinding(
            rule: id, score: configuration.sanctionsScore,
            reason: "Customer has a sanctions screening hit; payments are blocked.", minimumDecision: .block
        )
    }

    /// The alert a new sanctions hit raises when it is found, before any payment: the customer's
    /// payments are refused from then on (their identity check is rejected), so no payment's
    /// screening would ever raise one, and compliance must look at what is already under way.
    public static func hitFound(configuration: AMLConfiguration) -> AMLAssessment {
        let finding = AMLFinding(rule: .sanctions, score: configuration.sanctionsScore,
                                 reason: "The identity check reported a sanctions hit; payments under way were stopped.", minimumDecision: .block)
        return AMLAssessment(findings: [finding], totalScore: finding.score, decision: .block)
    }
}
