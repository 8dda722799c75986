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

extension OsloCalendar {
    /// A moment as a clock on a wall in Oslo shows it.
    public struct WallClock: Sendable, Equatable {
        public let day: CalendarDate
        public let hour: Int
        public let minute: Int
    }

    /// `instant` on Oslo's wall clock: the zone's offset at that instant (summer time or not) and
    /// plain arithmetic. Pages show several times each, and asking the calendar for components
    /// costs several times more than this.
    public static func wallClock(_ instant: Date) -> WallClock {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + calendar.timeZone.secondsFromGMT(for: instant)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let second = local - days * 86_400
        let day = (try? CalendarDate(daysSinceEpoch: days)) ?? today(instant)
        return WallClock(day: day, hour: second / 3_600, minute: second % 3_600 / 60)
    }
}
