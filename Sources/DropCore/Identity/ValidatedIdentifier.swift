/// An identifier that is parsed and validated from user text and travels in JSON as one
/// canonical string. Conforming types get their `Codable` from here: decoding validates, and a
/// bad value is a decoding error that carries the reason.
public protocol ValidatedIdentifier: Codable {
    init(_ input: String) throws(ValidationIssue)
    /// The canonical form written to JSON.
    var canonical: String { get }
}

extension ValidatedIdentifier {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(try container.decode(String.self))
        } catch let issue as ValidationIssue {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: issue.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}
