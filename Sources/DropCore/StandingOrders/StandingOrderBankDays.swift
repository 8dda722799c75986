/// Which payment day of a standing order the bank pays next, and on which day it pays it.
///
/// Drop asks for the `following` execution rule: a payment day on a weekend, a holiday or Christmas
/// Eve is paid on the next banking day. So a payment day can be behind us and its payment still to come (due
/// Saturday, paid Monday), and a day that has come may be paid at any hour of it, before the bank's
/// report reaches Drop.
extension StandingOrderSchedule {
    /// The day the bank pays the payment day `day`: that day, or the next banking day (Christmas Eve
    /// is none: its payment is made after Christmas).
    public static func bankDay(for day: CalendarDate) -> CalendarDate {
        var candidate = day
        // At most five days in a row are closed (Maundy Thursday to Easter Monday).
        while !NorwegianBusinessDays.isBankingDay(candidate) { candidate = candidate.addingClamped(days: 1) }
        return candidate
    }

    /// The payment day the bank pays next, seen on `today` when it last reported paying on `lastPaid`:
    /// the first one after `lastPaid` whose bank day is today or later. It is before today when the
    /// bank moved it (on Sunday, Saturday's payment day, paid Monday). Nil when the schedule has ended.
    public func nextDue(from today: CalendarDate, lastPaid: CalendarDate?) -> CalendarDate? {
        // No bank day is more than a week after its payment day.
        var from = today.addingClamped(days: -7)
        if let lastPaid, lastPaid >= from { from = lastPaid.addingClamped(days: 1) }
        while let day = nextExecution(onOrAfter: from) {
            if Self.bankDay(for: day) >= today { return day }
            from = day.addingClamped(days: 1)
        }
        return nil
    }

    /// Whether this order, replaced by one starting on `successorStart`, still owes a payment day before it,
    /// seen on `today`: one not reported paid (after `lastPaid`) whose bank day is today or later (today's,
    /// or Saturday's paid on Monday). Its bank order is cancelled only after that: cancelled before, the
    /// period would be paid by neither order.
    public func owesPaymentDay(before successorStart: CalendarDate, today: CalendarDate, lastPaid: CalendarDate?) -> Bool {
        guard let due = nextDue(from: today, lastPaid: lastPaid) else { return false }
        return due < successorStart
    }

    /// The first payment day an order replacing this one (a change) takes over, asked on `today`:
    /// the first after today. Every payment day up to today stays this order's: one that has come
    /// and is not reported paid, today's or one moved to a later business day, is still paid under
    /// it (the bank may pay it today), so the replacement starting on it would pay that period twice.
    public func replacementStart(from today: CalendarDate) -> CalendarDate? {
        nextExecution(onOrAfter: today.addingClamped(days: 1))
    }
}
