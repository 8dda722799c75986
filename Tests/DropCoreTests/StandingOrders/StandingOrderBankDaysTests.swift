import DropCore
import Testing

@Suite("Standing transfers: the day the bank pays, and the days a change leaves to the old order")
struct StandingOrderBankDaysTests {
    static func day(_ iso: String) throws -> CalendarDate { try CalendarDate(iso: iso) }

    @Test func aPaymentDayOnAWeekendOrHolidayIsPaidOnTheNextBusinessDay() throws {
        #expect(StandingOrderSchedule.bankDay(for: try Self.day("2026-10-24")) == (try Self.day("2026-10-26")))  // Saturday → Monday
        #expect(StandingOrderSchedule.bankDay(for: try Self.day("2026-10-26")) == (try Self.day("2026-10-26")))
        #expect(StandingOrderSchedule.bankDay(for: try Self.day("2026-04-02")) == (try Self.day("2026-04-07")))  // Maundy Thursday → after Easter
    }

    /// Due Saturday 24 October, paid Monday the 26th: on Sunday that payment is still to come, and a
    /// change made that day starts in November.
    @Test func onSundaySaturdaysPaymentIsStillToComeOnMonday() throws {
        let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2026-08-24"), dayOfExecution: 24)
        let sunday = try Self.day("2026-10-25"), lastPaid = try Self.day("2026-09-24")
        #expect(schedule.nextDue(from: sunday, lastPaid: lastPaid) == (try Self.day("2026-10-24")))
        #expect(schedule.nextDue(from: sunday, lastPaid: lastPaid).map(StandingOrderSchedule.bankDay) == (try Self.day("2026-10-26")))
        #expect(schedule.replacementStart(from: sunday) == (try Self.day("2026-11-24")))
        // Reported paid on Monday: next is November's.
        #expect(schedule.nextDue(from: sunday, lastPaid: try Self.day("2026-10-26")) == (try Self.day("2026-11-24")))
        // Its bank day gone by with no report (a lost webhook): it is behind, and next is November's.
        #expect(schedule.nextDue(from: try Self.day("2026-10-27"), lastPaid: lastPaid) == (try Self.day("2026-11-24")))
        // Changed on Sunday, the old order owes October's until Monday is over: not cancelled at the bank before.
        let november = try Self.day("2026-11-24")
        #expect(schedule.owesPaymentDay(before: november, today: sunday, lastPaid: lastPaid))
        #expect(schedule.owesPaymentDay(before: november, today: try Self.day("2026-10-26"), lastPaid: lastPaid))
        #expect(!schedule.owesPaymentDay(before: november, today: sunday, lastPaid: try Self.day("2026-10-26")))
        #expect(!schedule.owesPaymentDay(before: november, today: try Self.day("2026-10-27"), lastPaid: lastPaid))
        // A change starting on October's own day takes it over: the old order owes nothing.
        #expect(!schedule.owesPaymentDay(before: try Self.day("2026-10-24"), today: try Self.day("2026-10-20"), lastPaid: lastPaid))
    }

    /// Christmas Eve is no banking day: Thursday 24 December 2026 is paid on Monday the 28th. A change
    /// made on Christmas Day leaves that payment to the old order, which stays live at the bank until
    /// then: cancelled on the 25th, the 24th would be paid by neither order.
    @Test func christmasEvesPaymentIsMadeAfterChristmas() throws {
        let eve = try Self.day("2026-12-24"), christmasDay = try Self.day("2026-12-25"), monday = try Self.day("2026-12-28")
        let newYearsEve = try Self.day("2026-12-31")
        #expect(!NorwegianBusinessDays.isBankingDay(eve) && NorwegianBusinessDays.isBankingDay(newYearsEve))
        #expect(StandingOrderSchedule.bankDay(for: eve) == monday)
        #expect(StandingOrderSchedule.bankDay(for: try Self.day("2025-12-24")) == (try Self.day("2025-12-29")))
        #expect(StandingOrderSchedule.bankDay(for: newYearsEve) == newYearsEve)

        let schedule = try StandingOrderSchedule(frequency: .weekly, startDate: Self.day("2026-12-03"))
        let lastPaid = try Self.day("2026-12-17")
        #expect(schedule.nextDue(from: christmasDay, lastPaid: lastPaid) == eve)
        let change = newYearsEve
        #expect(schedule.replacementStart(from: christmasDay) == change)
        #expect(schedule.owesPaymentDay(before: change, today: christmasDay, lastPaid: lastPaid))
        #expect(schedule.owesPaymentDay(before: change, today: monday, lastPaid: lastPaid))
        #expect(!schedule.owesPaymentDay(before: change, today: try Self.day("2026-12-29"), lastPaid: lastPaid))
    }

    /// On the 20th a monthly-20th order may be paid at any hour, its report still on the way: the day is
    /// the old order's, and a change starts next month.
    @Test func onAPaymentDayTheChangeStartsNextPeriod() throws {
        let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2026-08-20"), dayOfExecution: 20)
        let paymentDay = try Self.day("2026-10-20")
        #expect(schedule.nextDue(from: paymentDay, lastPaid: try Self.day("2026-09-21")) == paymentDay)
        #expect(schedule.replacementStart(from: paymentDay) == (try Self.day("2026-11-20")))
        #expect(schedule.nextDue(from: paymentDay, lastPaid: paymentDay) == (try Self.day("2026-11-20")))
        // The day before, the 20th is the change's.
        #expect(schedule.replacementStart(from: try Self.day("2026-10-19")) == paymentDay)
        // An order not begun yet: its first day.
        let later = try StandingOrderSchedule(frequency: .weekly, startDate: Self.day("2026-11-05"))
        #expect(later.nextDue(from: paymentDay, lastPaid: nil) == (try Self.day("2026-11-05")))
        #expect(later.replacementStart(from: paymentDay) == (try Self.day("2026-11-05")))
    }
}
