/// When a standing transfer is paid: from `startDate`, every `frequency`, until `endDate` (if any).
///
/// Monthly and quarterly orders are paid on `dayOfExecution` of the month; in a shorter month on
/// its last day (the 31st becomes 30 April and 28 February), as NextGenPSD2's `dayOfExecution`
/// does. Weekly orders are paid on the start date's weekday. Days are Oslo calendar days; the bank
/// decides a weekend or holiday by its `executionRule`, which Drop sends as `following`.
public struct StandingOrderSchedule: Sendable, Hashable, Codable {
    public let frequency: StandingOrderFrequency
    public let startDate: CalendarDate
    public let endDate: CalendarDate?
    /// 1–31 for month-based orders; for weekly ones the ISO weekday of `startDate` (1 Monday … 7 Sunday).
    public let dayOfExecution: Int

    /// - Parameter dayOfExecution: for month-based orders, the day of the month (default: the start
    ///   date's); ignored for weekly orders.
    public init(frequency: StandingOrderFrequency, startDate: CalendarDate, endDate: CalendarDate? = nil,
                dayOfExecution: Int? = nil) throws(ValidationIssue) {
        if let endDate, endDate < startDate {
            throw ValidationIssue(field: "endDate", issue: ValidationIssue.Code.date, message: "The last day is before the first.")
        }
        let day: Int
        if frequency.isMonthBased {
            day = dayOfExecution ?? startDate.day
            guard (1...31).contains(day) else {
                throw ValidationIssue(field: "dayOfExecution", issue: ValidationIssue.Code.range, message: "The day of the month is 1 to 31.")
            }
        } else {
            day = Self.isoWeekday(startDate)
        }
        self.frequency = frequency
        self.startDate = startDate
        self.endDate = endDate
        self.dayOfExecution = day
    }

    /// The first payment day on or after `day` (nil when the order has ended by then).
    public func nextExecution(onOrAfter day: CalendarDate) -> CalendarDate? {
        var index = max(0, estimatedIndex(onOrAfter: day))
        while let date = occurrence(index) {
            if let endDate, date > endDate { return nil }
            if date >= day && date >= startDate { return date }
            index += 1
        }
        return nil
    }

    /// Every payment day after `last` (exclusive; from the start when nil) up to and including
    /// `day`, oldest first: what a bank that missed some days owes.
    public func executions(after last: CalendarDate?, through day: CalendarDate) -> [CalendarDate] {
        var dates: [CalendarDate] = []
        var from = startDate
        if let last, let next = try? last.adding(days: 1), next > from { from = next }
        while let date = nextExecution(onOrAfter: from), date <= day {
            dates.append(date)
            guard let next = try? date.adding(days: 1) else { break }
            from = next
        }
        return dates
    }

    /// The `index`th nominal payment day counted from the start's month or week (it may fall before
    /// `startDate` for index 0, which `nextExecution` skips).
    func occurrence(_ index: Int) -> CalendarDate? {
        switch frequency {
        case .weekly, .everyTwoWeeks:
            return try? startDate.adding(days: index * (frequency == .weekly ? 7 : 14))
        case .monthly, .quarterly:
            let months = (startDate.year * 12 + startDate.month - 1) + index * (frequency == .monthly ? 1 : 3)
            let (year, month) = (months / 12, months % 12 + 1)
            return try? CalendarDate(year: year, month: month, day: min(dayOfExecution, CalendarDate.daysInMonth(month, year: year)))
        }
    }

    /// An index at or just before the first occurrence on or after `day`, so a search starts near it.
    private func estimatedIndex(onOrAfter day: CalendarDate) -> Int {
        switch frequency {
        case .weekly: startDate.days(until: day) / 7
        case .everyTwoWeeks: startDate.days(until: day) / 14
        case .monthly: (day.year * 12 + day.month) - (startDate.year * 12 + startDate.month) - 1
        case .quarterly: ((day.year * 12 + day.month) - (startDate.year * 12 + startDate.month)) / 3 - 1
        }
    }

    /// 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public static func isoWeekday(_ date: CalendarDate) -> Int {
        ((date.daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1
    }
}
