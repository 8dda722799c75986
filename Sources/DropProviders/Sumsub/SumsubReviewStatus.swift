/// Where an applicant's review stands (`review.reviewStatus`, webhook `reviewStatus`).
///
/// A string wrapper rather than an enum: Sumsub adds states (`awaitingService`, …) and an
/// unknown one must not make a whole webhook unreadable.
public struct SumsubReviewStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Created, nothing submitted yet.
    public static let initial = SumsubReviewStatus(rawValue: "init")
    /// Documents submitted, waiting for the review.
    public static let pending = SumsubReviewStatus(rawValue: "pending")
    public static let prechecked = SumsubReviewStatus(rawValue: "prechecked")
    public static let queued = SumsubReviewStatus(rawValue: "queued")
    /// Reviewed: the answer is in `reviewResult`.
    public static let completed = SumsubReviewStatus(rawValue: "completed")
    /// Held for a manual check, e.g. a possible screening hit.
    public static let onHold = SumsubReviewStatus(rawValue: "onHold")

    public var description: String { rawValue }
}
