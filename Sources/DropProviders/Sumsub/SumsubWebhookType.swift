/// A Sumsub webhook's `type`. A string wrapper: Sumsub has many types and adds more, and Drop
/// acknowledges the ones it does not act on rather than failing on them.
public struct SumsubWebhookType: RawRepresentable, Sendable, Hashable, Decodable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public static let applicantCreated = SumsubWebhookType(rawValue: "applicantCreated")
    /// The applicant submitted documents; the review is under way.
    public static let applicantPending = SumsubWebhookType(rawValue: "applicantPending")
    /// The review is complete: see `reviewResult`.
    public static let applicantReviewed = SumsubWebhookType(rawValue: "applicantReviewed")
    public static let applicantOnHold = SumsubWebhookType(rawValue: "applicantOnHold")
    public static let applicantReset = SumsubWebhookType(rawValue: "applicantReset")
    public static let applicantTagsChanged = SumsubWebhookType(rawValue: "applicantTagsChanged")
    public static let applicantDeleted = SumsubWebhookType(rawValue: "applicantDeleted")

    public var description: String { rawValue }
}
