/// Whether a RED answer is the end (`FINAL`) or the applicant may resubmit (`RETRY`).
public enum SumsubReviewRejectType: String, Sendable, Hashable, Codable {
    case final = "FINAL"
    case retry = "RETRY"
}
