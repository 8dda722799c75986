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
}
