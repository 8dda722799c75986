/// The AML engine's answer for one transfer: what fired, the total, and what to do.
public struct AMLAssessment: Sendable, Hashable, Codable {
    /// Highest score first; equal scores in `AMLRuleID` declaration order. Empty when nothing fired.
    public let findings: [AMLFinding]
    /// Sum of the findings' scores.
    public let totalScore: Int
    public let decision: AMLDecision

    public init(findings: [AMLFinding], totalScore: Int, decision: AMLDecision) {
        self.findings = findings
        self.totalScore = totalScore
        self.decision = decision
    }

    /// The rules that fired, in `findings` order.
    public var rules: [AMLRuleID] { findings.map(\.rule) }
}
