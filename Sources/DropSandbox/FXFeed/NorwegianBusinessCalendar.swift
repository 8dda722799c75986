import Foundation

/// Days on which Norges Bank publishes reference rates: weekdays that are not Norwegian public
/// holidays. Rates appear around 16:00 Oslo time; the sandbox uses a fixed UTC cut-off so it
/// stays independent of time-zone data.
struct NorwegianBusinessCalendar: Sendable {
    /// Hour (UTC) from which the day's rates count as published.
    var publicationHourUTC: Int = 14

    func isBusinessDay(_ day: CalendarDay) -> Bool {
        day.isoWeekday <= 5 && !isPublicHoliday(day)
    }

    /// The last business day on or before `day`.
    func businessDay(onOrBefore day: CalendarDay) -> CalendarDay {
        var candidate = day
        while !isBusinessDay(candidate) { candidate = candidate.adding(days: -1) }
        return candidate
    }

    /// The newest business day whose rates are out at `now`: today after the cut-off, else the one before.
    func latestPublishedDay(at now: Date) -> CalendarDay {
        let today = CalendarDay(utc: now)
        let secondsIntoDay = now.timeIntervalSince1970 - Double(today.dayNumber) * 86_400
        let published = secondsIntoDay >= Double(publicationHourUTC * 3600)
        return businessDay(onOrBefore: published ? today : today.adding(days: -1))
    }

    /// Business days in `range`, oldest first.
    func businessDays(in range: ClosedRange<CalendarDay>) -> [CalendarDay] {
        guard range.lowerBound <= range.upperBound else { return [] }
        return (range.lowerBound.dayNumber...range.upperBound.dayNumber)
            .map(CalendarDay.init(dayNumber:))
            .filter(isBusinessDay)
    }

    func isPublicHoliday(_ day: CalendarDay) -> Bool {
        let (year, month, dayOfMonth) = day.civil
        switch (month, dayOfMonth) {
        case (1, 1), (5, 1), (5, 17), (12, 25), (12, 26): return true
        default: break
        }
        guard let easter = Self.easterSunday(year) else { return false }
        // Maundy Thursday, Good Friday, Easter Monday, Ascension Day, Whit Monday.
        return [-3, -2, 1, 39, 50].contains(day.dayNumber - easter.dayNumber)
    }

    /// Gregorian Easter Sunday (anonymous Gregorian algorithm).
    static func easterSunday(_ year: Int) -> CalendarDay? {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDay(year: year, month: month, day: day)
    }
}
