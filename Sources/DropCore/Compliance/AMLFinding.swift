/// One rule's verdict on a transfer: which rule fired, how much it weighs, and why.
///
/// `reason` is for the admin reviewing the alert and for the audit log. It states amounts, counts,
/// windows and country codes, never names or ids of the customer or recipient (logs carry no
/// personal data, and the alert row links to the transfer anyway).
public struct AMLFinding: Sendable, Hashable, Codable {
    public let rule: AMLRuleID
    /// Added to the assessment's total score.
    public let score: Int
    public let reason: String
    /// The least strict decision this finding allows whatever the total score, e.g. `.block` for a
    /// sanctions hit. `.clear` for findings that only count through their score.
    public let minimumDecision: AMLDecision
    /// The customer's earlier transfers the finding counted (structuring, velocity), oldest first: the
    /// pattern the officer checks and reports, which may include transfers of an account the person
    /// erased and so not listed under this one. Empty for a finding about this transfer alone.
    public let transferIds: [String]

    public init(rule: AMLRuleID, score: Int, reason: String, minimumDecision: AMLDecision = .clear, transferIds: [String] = []) {
        self.rule = rule
        self.score = score
        self.reason = reason
        self.minimumDecision = minimumDecision
        self.transferIds = transferIds
    }
}
