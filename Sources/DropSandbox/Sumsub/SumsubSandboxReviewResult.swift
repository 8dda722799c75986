/// The outcome of a review in Sumsub's wire shape (`reviewResult`), as stored and as sent.
struct SumsubSandboxReviewResult: Codable, Sendable, Hashable {
    /// `GREEN` or `RED`.
    var reviewAnswer: String
    /// Left out for GREEN, as Sumsub does.
    var rejectLabels: [String]?
    /// `FINAL` or `RETRY`, RED only.
    var reviewRejectType: String?
    var moderationComment: String?
    var clientComment: String?

    static let green = SumsubSandboxReviewResult(reviewAnswer: "GREEN")

    static func red(labels: [String], rejectType: String, moderationComment: String? = nil, clientComment: String? = nil)
        -> SumsubSandboxReviewResult {
        SumsubSandboxReviewResult(
            reviewAnswer: "RED", rejectLabels: labels, reviewRejectType: rejectType,
            moderationComment: moderationComment, clientComment: clientComment
        )
    }

    /// The applicant may submit again.
    var allowsResubmission: Bool { reviewAnswer == "RED" && reviewRejectType == "RETRY" }
}
