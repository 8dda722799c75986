import Foundation

/// Norwegian calendar days: ages, due dates and spending periods follow the date in Oslo, not UTC.
public enum OsloCalendar {
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Oslo") ?? TimeZone(secondsFromGMT: 3600)!
        return calendar
    }()

    public static func today(_ now: Date) -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        // Components of a real date are always a valid calendar date.
        return (try? CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1))
            ?? (try! CalendarDate(year: 1970, month: 1, day: 1))
    }

    /// Midnight in Oslo at the start of `now`'s day and month: spending limits reset then.
    public static func periodStarts(_ now: Date) -> (day: Date, month: Date) {
        let day = calendar.startOfDay(for: now)
        let month = calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? day
        return (day, month)
    }
}

extension OsloCalendar {
    /// The instant an Oslo calendar day ends (midnight at the start of the next day): a deadline
    /// "by 15 December" is met until then.
    public static func endOfDay(_ day: CalendarDate) -> Date {
        let next = (try? day.adding(days: 1)) ?? day
        return calendar.date(from: DateComponents(year: next.year, month: next.month, day: next.day)) ?? Date(timeIntervalSince1970: 0)
    }

    /// The Oslo day a deadline stored as `endOfDay` falls on.
    public static func day(endingAt instant: Date) -> CalendarDate {
        today(instant.addingTimeInterval(-1))
    }
}
