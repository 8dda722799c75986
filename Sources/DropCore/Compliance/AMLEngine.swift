/// Runs every AML rule on a transfer being created and turns the findings into a decision.
///
/// Pure and deterministic: the same input gives the same assessment, findings in the same order.
/// Transfer creation calls it before initiating the payment (docs/flows.md) and acts on `decision`:
/// `.clear` → go on; `.alert` → go on and store an alert; `.hold` → store the transfer, move it to
/// `held`, store an alert, initiate nothing; `.block` → refuse and store an alert.
public enum AMLEngine {
    /// Every rule, in `AMLRuleID` order.
    public static let rules: [any AMLRule] = [
        SanctionsRule(), PEPRule(), CustomerRiskRule(), LargeAmountRule(), StructuringRule(),
        VelocityRule.day, VelocityRule.month, HighRiskCountryRule(), NewRecipientLargeAmountRule(),
        UnusualAmountRule(), UnusualCountryRule(),
    ]

    public static func evaluate(
        _ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration = AMLConfiguration()
    ) -> AMLAssessment {
        let findings = rules
            .compactMap { $0.evaluate(context, history: history, configuration: configuration) }
            .sorted { ($0.score, $1.rule) > ($1.score, $0.rule) }  // score descending, then rule ascending
        return assess(findings, configuration: configuration)
    }

    /// The decision for a set of findings: the score's decision, raised to the strictest minimum any
    /// finding demands. Findings are kept in the order given.
    public static func assess(_ findings: [AMLFinding], configuration: AMLConfiguration) -> AMLAssessment {
        var total = 0
        for finding in findings {
            let (sum, overflow) = total.addingReportingOverflow(finding.score)
            total = overflow ? Int.max : sum
        }
        let byScore: AMLDecision = total >= configuration.holdScore ? .hold : total >= configuration.alertScore ? .alert : .clear
        let decision = findings.map(\.minimumDecision).reduce(byScore, max)
        return AMLAssessment(findings: findings, totalScore: total, decision: decision)
    }
}
