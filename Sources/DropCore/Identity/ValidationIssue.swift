/// Why a piece of user or partner input was refused.
///
/// One shape for every identifier parser so the API can turn it straight into
/// `{"field": …, "issue": …}` error details. Messages never echo the input back,
/// because some inputs (national identity numbers) must not reach logs.
public struct ValidationIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request field the input came from, e.g. `"iban"`. Parsers fill in a natural default;
    /// callers re-label it with `withField(_:)` when their field is named differently.
    public let field: String?
    /// Machine-readable reason: `"format"`, `"length"`, `"checksum"`, `"country"`, `"date"`, ….
    public let issue: String
    /// A human English sentence explaining the reason.
    public let message: String

    public init(field: String?, issue: String, message: String) {
        self.field = field
        self.issue = issue
        self.message = message
    }

    /// The same issue reported against another field name.
    public func withField(_ field: String?) -> ValidationIssue {
        ValidationIssue(field: field, issue: issue, message: message)
    }

    public var description: String {
        if let field { return "\(field): \(message) [\(issue)]" }
        return "\(message) [\(issue)]"
    }
}

extension ValidationIssue {
    /// The issue codes the DropCore parsers use.
    public enum Code {
        public static let format = "format"
        public static let length = "length"
        public static let checksum = "checksum"
        public static let country = "country"
        public static let date = "date"
        public static let notMobile = "not_mobile"
        public static let unsupported = "unsupported"
        public static let range = "range"
    }
}
