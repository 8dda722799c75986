/// Where a customer's complaint stands. `in_progress` tells the customer someone is on it; an answer
/// (`resolved` or `rejected`) is final, carries its text and closes the legal deadline.
public enum ComplaintStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case resolved
    case rejected

    /// Whether this is the final answer the customer is told about.
    public var isAnswer: Bool { self == .resolved || self == .rejected }
}
