/// What a person asks of Drop under the GDPR (articles 15–21). Erasure has its own self-service
/// endpoint; the others are answered by a person within the legal deadline.
public enum DataSubjectRequestKind: String, Sendable, Hashable, Codable, CaseIterable {
    case access
    case erasure
    case rectification
    case restriction
    case objection

    /// The kinds a person files by hand (everything but erasure).
    public static let answeredByHand: [DataSubjectRequestKind] = [.access, .rectification, .restriction, .objection]
}

/// A data subject request is open until Drop has answered it, by doing it or by refusing with reasons.
public enum DataSubjectRequestStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case completed
    case rejected
}
