import DropCore
import Testing

@Suite("Standing transfers: when they are paid, and their statuses")
struct StandingOrderScheduleTests {
    static func day(_ iso: String) throws -> CalendarDate { try CalendarDate(iso: iso) }

    @Test func monthlyOnThe25thFromAStartAfterThe25thBeginsNextMonth() throws {
        let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2026-12-27"), dayOfExecution: 25)
        #expect(schedule.nextExecution(onOrAfter: try Self.day("2026-12-27")) == (try Self.day("2027-01-25")))
        #expect(schedule.executions(after: nil, through: try Self.day("2027-03-25")).map(\.iso) == ["2027-01-25", "2027-02-25", "2027-03-25"])
        // A bank that looks after the 25th owes nothing more until the next 25th.
        #expect(schedule.executions(after: try Self.day("2027-03-25"), through: try Self.day("2027-04-24")).isEmpty)
    }

    @Test func theThirtyFirstFallsOnTheLastDayOfShortMonths() throws {
        let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2027-01-01"), dayOfExecution: 31)
        #expect(schedule.executions(after: nil, through: try Self.day("2028-03-31")).map(\.iso).prefix(4)
                == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        #expect(schedule.executions(after: try Self.day("2028-01-31"), through: try Self.day("2028-02-29")).map(\.iso) == ["2028-02-29"])
    }

    @Test func anEndDateStopsThePayments() throws {
        let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2027-01-10"), endDate: Self.day("2027-03-09"))
        #expect(schedule.executions(after: nil, through: try Self.day("2027-12-31")).map(\.iso) == ["2027-01-10", "2027-02-10"])
        #expect(schedule.nextExecution(onOrAfter: try Self.day("2027-02-11")) == nil)
        #expect(throws: ValidationIssue.self) {
            try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2027-03-10"), endDate: Self.day("2027-03-09"))
        }
        #expect(throws: ValidationIssue.self) { try StandingOrderSchedule(frequency: .monthly, startDate: Self.day("2027-03-10"), dayOfExecution: 32) }
    }

    @Test func weeklyAndFortnightlyKeepTheStartsWeekday() throws {
        let weekly = try StandingOrderSchedule(frequency: .weekly, startDate: Self.day("2026-12-04"), dayOfExecution: 1)
        #expect(weekly.dayOfExecution == 5) // a Friday, whatever was asked
        #expect(weekly.executions(after: nil, through: try Self.day("2026-12-25")).map(\.iso) == ["2026-12-04", "2026-12-11", "2026-12-18", "2026-12-25"])
        let fortnightly = try StandingOrderSchedule(frequency: .everyTwoWeeks, startDate: Self.day("2026-12-04"))
        #expect(fortnightly.executions(after: try Self.day("2026-12-04"), through: try Self.day("2027-01-01")).map(\.iso) == ["2026-12-18", "2027-01-01"])
        #expect(StandingOrderSchedule.isoWeekday(try Self.day("1970-01-01")) == 4)
        #expect(StandingOrderSchedule.isoWeekday(try Self.day("2026-12-06")) == 7)
    }

    @Test func quarterlyIsEveryThirdMonth() throws {
        let schedule = try StandingOrderSchedule(frequency: .quarterly, startDate: Self.day("2026-11-30"), dayOfExecution: 30)
        #expect(schedule.executions(after: nil, through: try Self.day("2027-08-30")).map(\.iso) == ["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30"])
    }

    @Test(arguments: StandingOrderFrequency.allCases)
    func frequenciesRoundTripTheBanksCodes(_ frequency: StandingOrderFrequency) {
        #expect(StandingOrderFrequency(bankCode: frequency.bankCode) == frequency)
    }

    @Test func onlyTheTableMovesAnOrder() {
        #expect(StandingOrderStatus.pendingSCA.applying(.approvedAtBank) == .active)
        #expect(StandingOrderStatus.active.applying(.pause) == .paused)
        #expect(StandingOrderStatus.paused.applying(.pause) == nil)
        #expect(StandingOrderStatus.stopped.applying(.approvedAtBank) == nil)
        #expect(StandingOrderStatus.paused.applying(.replaced) == .replaced)
        #expect(StandingOrderStatus.allCases.filter(\.needsBankCancellation) == [.paused, .stopped, .replaced])
        for status in StandingOrderStatus.allCases where ![.active, .paused].contains(status) { #expect(!status.canBeReplaced) }
    }
}
