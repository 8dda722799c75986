/// Sumsub's verdict on a completed review.
public enum SumsubReviewAnswer: String, Sendable, Hashable, Codable {
    /// Verified.
    case green = "GREEN"
    /// Rejected; `reviewRejectType` says whether the person may try again.
    case red = "RED"
}
