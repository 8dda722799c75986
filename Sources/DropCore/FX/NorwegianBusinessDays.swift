/// Days on which Norwegian banks and Norges Bank work: weekdays that are not public holidays.
///
/// Norges Bank publishes reference rates on these days only, so "one business day old" has to
/// skip weekends, Easter and the other holidays rather than count calendar days.
public enum NorwegianBusinessDays {
    /// Monday to Friday and not a public holiday.
    public static func isBusinessDay(_ day: CalendarDate) -> Bool {
        isoWeekday(day) <= 5 && !isPublicHoliday(day)
    }

    /// The last business day strictly before `day`.
    public static func previousBusinessDay(before day: CalendarDate) -> CalendarDate {
        var candidate = day.daysSinceEpoch - 1
        // At most five days in a row are closed (Maundy Thursday to Easter Monday), so this ends quickly.
        while !isBusinessDay(date(candidate)) { candidate -= 1 }
        return date(candidate)
    }

    /// A day Norwegian banks make payments on: a business day, but not Christmas Eve. Banks and the
    /// interbank settlement are closed on 24 December, and a payment due then is made on the next
    /// banking day (the 27th or 28th); New Year's Eve is a banking day.
    public static func isBankingDay(_ day: CalendarDate) -> Bool {
        isBusinessDay(day) && !(day.month == 12 && day.day == 24)
    }

    /// A day Norges Bank publishes reference rates on: a business day, but not Christmas Eve ("Exchange
    /// rates are not published on Christmas Eve", Norges Bank's FAQ; its settlement system is closed too).
    /// Counting 24 December as a publication day made the 23rd's rates look stale from the 25th, and
    /// every price refused until the next publication, four days later.
    public static func isRatePublicationDay(_ day: CalendarDate) -> Bool {
        isBusinessDay(day) && !(day.month == 12 && day.day == 24)
    }

    /// The last day strictly before `day` that Norges Bank published rates on.
    public static func previousRatePublicationDay(before day: CalendarDate) -> CalendarDate {
        var candidate = previousBusinessDay(before: day)
        while !isRatePublicationDay(candidate) { candidate = previousBusinessDay(before: candidate) }
        return candidate
    }

    /// New Year's Day, Maundy Thursday, Good Friday, Easter Monday, 1 May, 17 May, Ascension Day,
    /// Whit Monday, Christmas Day and Boxing Day. (Easter and Whit Sunday fall on Sundays anyway.)
    public static func isPublicHoliday(_ day: CalendarDate) -> Bool {
        switch (day.month, day.day) {
        case (1, 1), (5, 1), (5, 17), (12, 25), (12, 26): return true
        default: break
        }
        let offset = day.daysSinceEpoch - easterSunday(day.year).daysSinceEpoch
        return [-3, -2, 1, 39, 50].contains(offset)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public static func isoWeekday(_ day: CalendarDate) -> Int {
        ((day.daysSinceEpoch + 3) % 7 + 7) % 7 + 1
    }

    /// Gregorian Easter Sunday (the anonymous Gregorian algorithm).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let dayOfMonth = (h + l - 7 * m + 114) % 31 + 1
        // Always 22 March – 25 April, a real date.
        return (try? CalendarDate(year: year, month: month, day: dayOfMonth)) ?? date(0)
    }

    /// Day numbers here stay within years 1–9999 for any date the API handles.
    private static func date(_ daysSinceEpoch: Int) -> CalendarDate {
        (try? CalendarDate(daysSinceEpoch: daysSinceEpoch)) ?? (try! CalendarDate(year: 1970, month: 1, day: 1))
    }
}
