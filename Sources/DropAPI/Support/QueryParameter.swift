import DropCore
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
        guard let date = (try? Date(raw, strategy: .iso8601)) ?? (try? Date("\(raw)T00:00:00Z", strategy: .iso8601)) else {
            throw AppError.validation("\(field) must be a date (YYYY-MM-DD) or an RFC 3339 time.", details: [ErrorDetail(field: field, issue: "format")])
        }
        try inAcceptedRange(date, field: field)
        return date
    }

    /// Refuses a time outside `AcceptedTimes` (the parser takes years past 9999, `300000-01-01`).
    static func inAcceptedRange(_ date: Date, field: String) throws {
        guard AcceptedTimes.contains(date) else {
            throw AppError.validation("\(field) must be between 1970 and the end of year 9999.", details: [ErrorDetail(field: field, issue: "range")])
        }
    }
}
