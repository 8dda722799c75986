/// A Sumsub applicant as Drop needs it: identifiers, review and tags. Personal fields Sumsub
/// echoes back (`info`, `fixedInfo`, email, phone) are not decoded: Drop has them already.
public struct SumsubApplicant: Sendable, Hashable, Decodable {
    /// Sumsub's 24-character applicant id.
    public let id: String
    /// Drop's id for the user, given at creation.
    public let externalUserId: String?
    public let inspectionId: String?
    /// Sumsub's `yyyy-MM-dd HH:mm:ss` text, kept as sent.
    public let createdAt: String?
    public let review: SumsubReview?
    /// Labels Sumsub or its screening put on the applicant, e.g. `PEP`.
    public let tags: [String]

    public init(
        id: String, externalUserId: String?, inspectionId: String? = nil, createdAt: String? = nil,
        review: SumsubReview? = nil, tags: [String] = []
    ) {
        self.id = id
        self.externalUserId = externalUserId
        self.inspectionId = inspectionId
        self.createdAt = createdAt
        self.review = review
        self.tags = tags
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        externalUserId = try container.decodeIfPresent(String.self, forKey: .externalUserId)
        inspectionId = try container.decodeIfPresent(String.self, forKey: .inspectionId)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        review = try container.decodeIfPresent(SumsubReview.self, forKey: .review)
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case id, externalUserId, inspectionId, createdAt, review, tags
    }

    /// The review status, `init` when Sumsub sent no review yet.
    public var reviewStatus: SumsubReviewStatus { review?.reviewStatus ?? .initial }
}
