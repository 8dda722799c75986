/// Where an AML alert stands: waiting in compliance's queue, closed with no suspicion, or escalated
/// to a suspicious transaction report. Only an open alert can be decided.
public enum AMLAlertStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case dismissed
    case escalated
}
