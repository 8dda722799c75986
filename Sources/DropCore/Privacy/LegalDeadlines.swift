/// The clocks the law starts when a customer asks something of Drop, and how long records live.
///
/// All are counted in Norwegian calendar days (the day the request arrived in Oslo is day 0).
public enum LegalDeadlines {
    /// GDPR art. 12(3) gives "one month"; Drop commits to 30 calendar days, never longer than a month.
    public static let dataRequestDays = 30
    /// PSD2 art. 101 (finansavtaleloven § 3-53): a payment complaint is answered within 15 business days.
    public static let complaintBusinessDays = 15
    /// Hvitvaskingsloven § 30: customer due diligence and transaction records are kept 5 years
    /// after the customer relationship ends, then deleted.
    public static let amlRetentionYears = 5

    /// The last day to answer a data subject request received on `day`: 30 days on, or the same
    /// date next month if that comes first (31 January is due 28 February, not 2 March).
    public static func dataRequestDue(receivedOn day: CalendarDate) -> CalendarDate {
        min(day.addingClamped(days: dataRequestDays), day.sameDateNextMonth)
    }

    /// The last day to answer a complaint received on `day`: the 15th Norwegian business day after it.
    public static func complaintDue(receivedOn day: CalendarDate) -> CalendarDate {
        NorwegianBusinessDays.adding(businessDays: complaintBusinessDays, to: day)
    }

    /// The first day records of a relationship that ended on `day` may be deleted: the same date
    /// five years on (29 February becomes 28 February in a common year).
    public static func retentionEnds(relationshipEndedOn day: CalendarDate) -> CalendarDate {
        let year = day.year + amlRetentionYears
        let last = CalendarDate.daysInMonth(day.month, year: year)
        return (try? CalendarDate(year: year, month: day.month, day: min(day.day, last))) ?? day
    }
}

extension NorwegianBusinessDays {
    /// The `count`-th business day after `day` (the day itself does not count, whatever it is).
    public static func adding(businessDays count: Int, to day: CalendarDate) -> CalendarDate {
        var candidate = day
        var remaining = max(count, 0)
        while remaining > 0 {
            candidate = candidate.addingClamped(days: 1)
            if isBusinessDay(candidate) { remaining -= 1 }
        }
        return candidate
    }
}

extension CalendarDate {
    /// `adding(days:)` for the small offsets deadlines use; stays on the last representable day.
    func addingClamped(days: Int) -> CalendarDate {
        (try? adding(days: days)) ?? self
    }

    /// The same day of the next month, or that month's last day if it is shorter ("one month" in law).
    var sameDateNextMonth: CalendarDate {
        let (year, month) = self.month == 12 ? (self.year + 1, 1) : (self.year, self.month + 1)
        let last = CalendarDate.daysInMonth(month, year: year)
        return (try? CalendarDate(year: year, month: month, day: min(day, last))) ?? self
    }
}
