/// A day in the proleptic Gregorian calendar, with no time and no time zone.
///
/// Birth dates and consent end dates are calendar days, not instants: keeping them
/// apart from `Date` avoids the off-by-one-day bugs a time zone conversion brings.
/// The math is done here rather than with Foundation's `Calendar` so it is the same everywhere.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates the date if it exists (year 1–9999, month 1–12, day within the month).
    public init(year: Int, month: Int, day: Int) throws(ValidationIssue) {
        guard (1...9999).contains(year) else {
            throw ValidationIssue(field: nil, issue: ValidationIssue.Code.date, message: "The year must be between 1 and 9999.")
        }
        guard (1...12).contains(month) else {
            throw ValidationIssue(field: nil, issue: ValidationIssue.Code.date, message: "The month must be between 1 and 12.")
        }
        guard (1...Self.daysInMonth(month, year: year)).contains(day) else {
            throw ValidationIssue(field: nil, issue: ValidationIssue.Code.date, message: "That day does not exist in that month.")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the ISO 8601 calendar date form `YYYY-MM-DD` (exactly that, no time part).
    public init(iso string: String) throws(ValidationIssue) {
        let bytes = Array(string.utf8)
        let digitPositions = [0, 1, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              digitPositions.allSatisfy({ ASCII.isDigit(bytes[$0]) }) else {
            throw ValidationIssue(field: nil, issue: ValidationIssue.Code.format, message: "A date must be written as YYYY-MM-DD.")
        }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        try self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Completed years between this date (a birth date) and `date`.
    ///
    /// Someone born on 29 February has their birthday on 1 March in common years:
    /// on 28 February they are still a year short, which is the conservative reading for age limits.
    /// Negative if `date` is before this date.
    public func age(on date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Day arithmetic

    /// Days since 1970-01-01 (negative before), for day arithmetic such as "90 days from today".
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil: counts in 400-year eras starting on 1 March.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01; fails outside years 1–9999.
    public init(daysSinceEpoch days: Int) throws(ValidationIssue) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        try self.init(year: year, month: month, day: day)
    }

    /// This date moved by `days` (negative moves back).
    public func adding(days: Int) throws(ValidationIssue) -> CalendarDate {
        try CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from this date to `other` (negative if `other` is earlier).
    public func days(until other: CalendarDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }
}

extension CalendarDate: Codable {
    /// Encoded as the ISO string `"YYYY-MM-DD"`, the form the API and NextGenPSD2 use.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(iso: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
