@testable import DropSandbox
import Foundation
import Testing

@Suite("Norwegian business calendar")
struct NorwegianBusinessCalendarTests {
    let calendar = NorwegianBusinessCalendar()

    @Test("calendar days round-trip and know their weekday")
    func calendarDay() throws {
        let epoch = try #require(CalendarDay(iso: "1970-01-01"))
        #expect(epoch.dayNumber == 0)
        #expect(epoch.isoWeekday == 4)
        let saturday = try #require(CalendarDay(iso: "2026-11-21"))
        #expect(saturday.isoWeekday == 6)
        #expect(saturday.description == "2026-11-21")
        #expect(CalendarDay(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDay(iso: "2026-02-29") == nil)
        #expect(CalendarDay(iso: "2026-1-01") == nil)
        #expect(CalendarDay(utc: utcInstant("2026-11-21T23:59:59Z")) == saturday)
        for number in stride(from: -1000, to: 40_000, by: 37) {
            let day = CalendarDay(dayNumber: number)
            #expect(CalendarDay(iso: day.description) == day)
        }
    }

    @Test("Easter Sunday", arguments: [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2000, "2000-04-23")])
    func easter(year: Int, expected: String) {
        #expect(NorwegianBusinessCalendar.easterSunday(year)?.description == expected)
    }

    @Test("public holidays and Christmas Eve have no rates", arguments: [
        "2026-01-01", "2026-04-02", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-12-24", "2026-12-25",
    ])
    func holidays(day: String) throws {
        #expect(!calendar.isBusinessDay(try #require(CalendarDay(iso: day))))
    }

    @Test("ordinary weekdays are business days; weekends are not")
    func weekdays() throws {
        #expect(calendar.isBusinessDay(try #require(CalendarDay(iso: "2026-11-20"))))
        #expect(!calendar.isBusinessDay(try #require(CalendarDay(iso: "2026-11-21"))))
        #expect(!calendar.isBusinessDay(try #require(CalendarDay(iso: "2026-11-22"))))
        #expect(calendar.businessDays(in: try #require(CalendarDay(iso: "2026-11-16"))...(try #require(CalendarDay(iso: "2026-11-22")))).count == 5)
    }
}
