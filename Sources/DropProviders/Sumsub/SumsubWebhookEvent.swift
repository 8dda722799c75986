import Foundation

/// One applicant webhook from Sumsub, as read by `SumsubWebhook.verifiedEvent`. Sumsub puts no
/// personal data in webhooks; fetch the applicant (`SumsubClient.applicant(id:)`) for its tags.
public struct SumsubWebhookEvent: Sendable, Hashable, Decodable {
    public let type: SumsubWebhookType
    public let applicantId: String
    public let inspectionId: String?
    /// Sumsub's id of the request that caused the event.
    public let correlationId: String?
    /// Drop's user id given when the applicant was created.
    public let externalUserId: String?
    public let levelName: String?
    public let applicantType: String?
    /// True when the event comes from a Sumsub sandbox, never in production.
    public let sandboxMode: Bool
    public let reviewStatus: SumsubReviewStatus?
    /// Present on `applicantReviewed`.
    public let reviewResult: SumsubReviewResult?
    /// When Sumsub created the event: `yyyy-MM-dd HH:mm:ss.fff`, UTC, as sent.
    public let createdAtMs: String?
    public let clientId: String?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(SumsubWebhookType.self, forKey: .type)
        applicantId = try container.decode(String.self, forKey: .applicantId)
        inspectionId = try container.decodeIfPresent(String.self, forKey: .inspectionId)
        correlationId = try container.decodeIfPresent(String.self, forKey: .correlationId)
        externalUserId = try container.decodeIfPresent(String.self, forKey: .externalUserId)
        levelName = try container.decodeIfPresent(String.self, forKey: .levelName)
        applicantType = try container.decodeIfPresent(String.self, forKey: .applicantType)
        sandboxMode = try container.decodeIfPresent(Bool.self, forKey: .sandboxMode) ?? false
        reviewStatus = try container.decodeIfPresent(SumsubReviewStatus.self, forKey: .reviewStatus)
        reviewResult = try container.decodeIfPresent(SumsubReviewResult.self, forKey: .reviewResult)
        createdAtMs = try container.decodeIfPresent(String.self, forKey: .createdAtMs)
        clientId = try container.decodeIfPresent(String.self, forKey: .clientId)
    }

    private enum CodingKeys: String, CodingKey {
        case type, applicantId, inspectionId, correlationId, externalUserId, levelName, applicantType,
             sandboxMode, reviewStatus, reviewResult, createdAtMs, clientId
    }

    /// `createdAtMs` as an instant, nil if absent or not in Sumsub's format.
    public var createdAt: Date? { createdAtMs.flatMap(SumsubTimestamp.date(from:)) }

    /// Identifies this event across Sumsub's redeliveries (which repeat the body unchanged), for
    /// `webhook_events`: Sumsub sends no event id of its own.
    public var deduplicationKey: String {
        [type.rawValue, applicantId, correlationId ?? "", createdAtMs ?? ""].joined(separator: "|")
    }
}
