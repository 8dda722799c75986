import Foundation
import Testing
@testable import DropCore

@Suite("CalendarDate")
struct CalendarDateTests {
    private func date(_ iso: String) throws -> CalendarDate { try CalendarDate(iso: iso) }

    @Test("real dates", arguments: [
        (2024, 2, 29),   // leap year
        (2000, 2, 29),   // divisible by 400: leap
        (1996, 2, 29),
        (1856, 2, 29),
        (2023, 2, 28),
        (2024, 4, 30), (2024, 12, 31), (2024, 1, 31), (2024, 6, 30),
        (1, 1, 1), (9999, 12, 31),
    ])
    func realDates(year: Int, month: Int, day: Int) throws {
        let date = try CalendarDate(year: year, month: month, day: day)
        #expect((date.year, date.month, date.day) == (year, month, day))
    }

    @Test("impossible dates", arguments: [
        (2023, 2, 29),   // not a leap year
        (1900, 2, 29),   // divisible by 100, not 400
        (2100, 2, 29),
        (2024, 2, 30),
        (2024, 4, 31), (2024, 6, 31), (2024, 9, 31), (2024, 11, 31),
        (2024, 1, 32), (2024, 1, 0), (2024, 0, 1), (2024, 13, 1),
        (0, 1, 1), (10_000, 1, 1), (-5, 1, 1),
    ])
    func impossibleDates(year: Int, month: Int, day: Int) {
        #expect { try CalendarDate(year: year, month: month, day: day) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    @Test func leapYearRule() {
        #expect(CalendarDate.isLeapYear(2024))
        #expect(CalendarDate.isLeapYear(2000))
        #expect(!CalendarDate.isLeapYear(1900))
        #expect(!CalendarDate.isLeapYear(2023))
        #expect(CalendarDate.daysInMonth(2, year: 2024) == 29)
        #expect(CalendarDate.daysInMonth(2, year: 2023) == 28)
        #expect(CalendarDate.daysInMonth(4, year: 2023) == 30)
        #expect(CalendarDate.daysInMonth(12, year: 2023) == 31)
    }

    @Test func isoStringRoundTrip() throws {
        #expect(try date("2024-02-29").iso == "2024-02-29")
        #expect(try date("0001-01-01").description == "0001-01-01")
        #expect(try CalendarDate(year: 987, month: 3, day: 4).iso == "0987-03-04")
    }

    @Test("malformed ISO strings", arguments: ["2024-2-29", "2024/02/29", "20240229", "2024-02-29T00:00:00Z", "", "24-02-29", "2024-02-2a", " 2024-02-29", "２０２４-02-29"])
    func malformedISO(text: String) {
        #expect { try CalendarDate(iso: text) } throws: { ($0 as? ValidationIssue)?.issue == "format" }
    }

    @Test("well-formed but impossible ISO strings", arguments: ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01"])
    func impossibleISO(text: String) {
        #expect { try CalendarDate(iso: text) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    @Test func codableAsISOString() throws {
        let data = try JSONEncoder().encode(try date("1990-03-15"))
        #expect(String(decoding: data, as: UTF8.self) == #""1990-03-15""#)
        #expect(try JSONDecoder().decode(CalendarDate.self, from: data) == date("1990-03-15"))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CalendarDate.self, from: Data(#""1990-02-30""#.utf8)) }
    }

    @Test func ordering() throws {
        #expect(try date("1999-12-31") < date("2000-01-01"))
        #expect(try date("2000-01-31") < date("2000-02-01"))
        #expect(try date("2000-02-01") < date("2000-02-02"))
        #expect(try !(date("2000-02-02") < date("2000-02-02")))
    }

    @Test("age", arguments: [
        ("2008-05-20", "2026-05-19", 17),   // the day before the 18th birthday
        ("2008-05-20", "2026-05-20", 18),   // on it
        ("2008-05-20", "2026-12-31", 18),
        ("2004-02-29", "2022-02-28", 17),   // leap-day birthday in a common year: not yet
        ("2004-02-29", "2022-03-01", 18),
        ("2004-02-29", "2024-02-29", 20),
        ("1990-03-15", "1990-03-15", 0),
        ("1990-03-15", "1991-03-14", 0),
        ("1990-03-15", "1990-03-14", -1),
    ])
    func age(born: String, on: String, years: Int) throws {
        #expect(try date(born).age(on: date(on)) == years)
    }

    @Test("days since 1970-01-01", arguments: [
        ("1970-01-01", 0), ("1969-12-31", -1), ("2000-03-01", 11_017), ("2024-02-29", 19_782),
        ("0001-01-01", -719_162), ("9999-12-31", 2_932_896),
    ])
    func daysSinceEpoch(iso: String, days: Int) throws {
        #expect(try date(iso).daysSinceEpoch == days)
        #expect(try CalendarDate(daysSinceEpoch: days) == date(iso))
    }

    /// Walks every day from 1850 to 2100 and checks the day count agrees with a plain calendar walk.
    @Test func dayCountMatchesACalendarWalk() throws {
        var expected = try date("1850-01-01").daysSinceEpoch
        for year in 1850...2100 {
            for month in 1...12 {
                for day in 1...CalendarDate.daysInMonth(month, year: year) {
                    let date = try CalendarDate(year: year, month: month, day: day)
                    #expect(date.daysSinceEpoch == expected)
                    #expect(try CalendarDate(daysSinceEpoch: expected) == date)
                    expected += 1
                }
            }
        }
    }

    @Test func addingDays() throws {
        #expect(try date("2024-02-28").adding(days: 1) == date("2024-02-29"))
        #expect(try date("2024-02-28").adding(days: 2) == date("2024-03-01"))
        #expect(try date("2023-02-28").adding(days: 1) == date("2023-03-01"))
        #expect(try date("2024-12-31").adding(days: 1) == date("2025-01-01"))
        #expect(try date("2025-01-01").adding(days: -1) == date("2024-12-31"))
        #expect(try date("2026-01-01").adding(days: 90) == date("2026-04-01"))
        #expect(try date("2026-01-01").days(until: date("2026-04-01")) == 90)
        #expect(try date("2026-04-01").days(until: date("2026-01-01")) == -90)
        #expect(throws: ValidationIssue.self) { try date("9999-12-31").adding(days: 1) }
        #expect(throws: ValidationIssue.self) { try date("0001-01-01").adding(days: -1) }
    }
}
