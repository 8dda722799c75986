/// The outcome of a completed review (`reviewResult`), in the status answer and in webhooks.
public struct SumsubReviewResult: Sendable, Hashable, Decodable {
    public let reviewAnswer: SumsubReviewAnswer
    /// Why it is RED, e.g. `FORGERY`, `SANCTIONS`, `PEP`; empty when GREEN.
    public let rejectLabels: [String]
    /// Set when RED.
    public let reviewRejectType: SumsubReviewRejectType?
    /// Sumsub's note meant for the applicant; may be shown to them.
    public let moderationComment: String?
    /// Sumsub's note meant for Drop only.
    public let clientComment: String?

    public init(
        reviewAnswer: SumsubReviewAnswer, rejectLabels: [String] = [], reviewRejectType: SumsubReviewRejectType? = nil,
        moderationComment: String? = nil, clientComment: String? = nil
    ) {
        self.reviewAnswer = reviewAnswer
        self.rejectLabels = rejectLabels
        self.reviewRejectType = reviewRejectType
        self.moderationComment = moderationComment
        self.clientComment = clientComment
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reviewAnswer = try container.decode(SumsubReviewAnswer.self, forKey: .reviewAnswer)
        // Sumsub leaves the list out for GREEN answers.
        rejectLabels = try container.decodeIfPresent([String].self, forKey: .rejectLabels) ?? []
        reviewRejectType = try container.decodeIfPresent(SumsubReviewRejectType.self, forKey: .reviewRejectType)
        moderationComment = try container.decodeIfPresent(String.self, forKey: .moderationComment)
        clientComment = try container.decodeIfPresent(String.self, forKey: .clientComment)
    }

    private enum CodingKeys: String, CodingKey {
        case reviewAnswer, rejectLabels, reviewRejectType, moderationComment, clientComment
    }

    public var isApproved: Bool { reviewAnswer == .green }
    /// RED with no way to resubmit.
    public var isFinalRejection: Bool { reviewAnswer == .red && reviewRejectType != .retry }
}
