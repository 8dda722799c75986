import Foundation

/// The times Drop takes from a caller (a list's date filter, a dashboard's period, a paging
/// cursor): 1970 to the end of year 9999. Every time Drop keeps lies within it, and every database
/// can bind all of it: PostgresNIO converts a bound `Date` to Int64 microseconds with a trapping
/// conversion, and ISO 8601 parsing accepts years past 9999 (`300000-01-01`), so a far-off time
/// in a query would crash the server.
public enum AcceptedTimes {
    /// Unix seconds, 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z. Compared as seconds: `Date`'s
    /// `<=` is "not greater", which a NaN time passes.
    public static let seconds: ClosedRange<Double> = 0...253_402_300_799

    public static func contains(_ time: Date) -> Bool {
        seconds.contains(time.timeIntervalSince1970)
    }

    /// `time`, or the end of the range it lies beyond (a NaN time the upper end): for a bound
    /// compared with stored times, which all lie within, this changes no answer.
    public static func clamped(_ time: Date) -> Date {
        let value = time.timeIntervalSince1970
        if seconds.contains(value) { return time }
        return Date(timeIntervalSince1970: value < seconds.lowerBound ? seconds.lowerBound : seconds.upperBound)
    }
}
