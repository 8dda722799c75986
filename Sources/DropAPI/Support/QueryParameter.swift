import Foundation

/// A list's filters read from the query string. An unknown value is a 422 that names the parameter,
/// never silently ignored: a filter that did nothing would show someone more than they asked for.
enum QueryParameter {
    /// One of the cases of `Value` by its wire name; nil when the parameter is absent or empty.
    static func oneOf<Value: RawRepresentable & CaseIterable>(_ raw: String?, field: String, as type: Value.Type = Value.self) throws -> Value?
    where Value.RawValue == String {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Value(rawValue: raw) else {
            throw AppError.validation("Unknown \(field).", details: [ErrorDetail(field: field, issue: "unknown")])
        }
        return value
    }

    /// A day (`YYYY-MM-DD`, its UTC midnight) or an RFC 3339 time; nil when absent or empty.
    static func date(_ raw: String?, field: String) throws -> Date? {
        guard let raw, !raw.isEmpty else { return nil }
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        if let day = try? Date("\(raw)T00:00:00Z", strategy: .iso8601) { return day }
        throw AppError.validation("\(field) must be a date (YYYY-MM-DD) or an RFC 3339 time.", details: [ErrorDetail(field: field, issue: "format")])
    }
}
