/// An applicant's review: `GET /resources/applicants/{id}/status`, and `review` inside the applicant.
public struct SumsubReview: Sendable, Hashable, Decodable {
    public let reviewStatus: SumsubReviewStatus
    /// Present once the status is `completed`.
    public let reviewResult: SumsubReviewResult?
    public let reviewId: String?
    public let attemptId: String?
    public let attemptCnt: Int?
    public let levelName: String?
    /// Sumsub's `yyyy-MM-dd HH:mm:ss+0000` text, kept as sent.
    public let createDate: String?
    public let reviewDate: String?

    public init(
        reviewStatus: SumsubReviewStatus, reviewResult: SumsubReviewResult? = nil, reviewId: String? = nil,
        attemptId: String? = nil, attemptCnt: Int? = nil, levelName: String? = nil,
        createDate: String? = nil, reviewDate: String? = nil
    ) {
        self.reviewStatus = reviewStatus
        self.reviewResult = reviewResult
        self.reviewId = reviewId
        self.attemptId = attemptId
        self.attemptCnt = attemptCnt
        self.levelName = levelName
        self.createDate = createDate
        self.reviewDate = reviewDate
    }
}
