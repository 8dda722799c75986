import DropCore
import Foundation

/// Days on which Norges Bank publishes reference rates: weekdays that are not Norwegian public
/// holidays, nor Christmas Eve (`NorwegianBusinessDays.isRatePublicationDay`). Rates appear around 16:00 Oslo time; the sandbox uses a fixed UTC cut-off so it
/// stays independent of time-zone data.
struct NorwegianBusinessCalendar: Sendable {
    /// Hour (UTC) from which the day's rates count as published.
    var publicationHourUTC: Int = 14

    /// DropCore's table, which Drop also uses to judge whether a rate is stale: the feed and its reader
    /// must agree on which days have no rate.
    func isBusinessDay(_ day: CalendarDay) -> Bool {
        let (year, month, dayOfMonth) = day.civil
        guard let date = try? CalendarDate(year: year, month: month, day: dayOfMonth) else { return false }
        return NorwegianBusinessDays.isRatePublicationDay(date)
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


    static func easterSunday(_ year: Int) -> CalendarDay? {
        let easter = NorwegianBusinessDays.easterSunday(year)
        return CalendarDay(year: easter.year, month: easter.month, day: easter.day)
    }
}
