@testable import DropCore
import Foundation
import Testing

/// The Oslo wall clock by arithmetic gives what the calendar gives, on both sides of every change
/// between winter and summer time, and before 1970.
@Suite("Oslo wall clock")
struct OsloWallClockTests {
    static func byCalendar(_ instant: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let parts = OsloCalendar.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return (parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    static func check(_ instant: Date) {
        let clock = OsloCalendar.wallClock(instant)
        let expected = byCalendar(instant)
        #expect(clock.day.year == expected.year && clock.day.month == expected.month && clock.day.day == expected.day
                && clock.hour == expected.hour && clock.minute == expected.minute, "\(instant): \(clock) ≠ \(expected)")
    }

    @Test func summerTimeStartsAndEnds() {
        // 2026: summer time from 29 March 01:00 UTC (02:00 → 03:00), back on 25 October 01:00 UTC (03:00 → 02:00).
        let springForward = Date(timeIntervalSince1970: 1_774_746_000)
        let fallBack = Date(timeIntervalSince1970: 1_792_890_000)
        for edge in [springForward, fallBack] {
            for offset in stride(from: -7_200, through: 7_200, by: 59) { Self.check(edge.addingTimeInterval(TimeInterval(offset))) }
        }
        #expect(OsloCalendar.wallClock(springForward.addingTimeInterval(-1)) == .init(day: try! CalendarDate(year: 2026, month: 3, day: 29), hour: 1, minute: 59))
        #expect(OsloCalendar.wallClock(springForward) == .init(day: try! CalendarDate(year: 2026, month: 3, day: 29), hour: 3, minute: 0))
        #expect(OsloCalendar.wallClock(fallBack) == .init(day: try! CalendarDate(year: 2026, month: 10, day: 25), hour: 2, minute: 0))
    }

    @Test func midnightsYearsAndMomentsBefore1970() {
        // New Year's Eve in Oslo is still 31 December at 23:59 UTC − 1 h; a leap day; fractions of a second.
        for seconds in [1_798_758_000.0, 1_798_757_999.5, 1_709_164_800, 0, -1, -86_401, -1_000_000_000, 4_102_444_800] {
            Self.check(Date(timeIntervalSince1970: seconds))
        }
        var instant = Date(timeIntervalSince1970: 1_700_000_000)
        for _ in 0..<2_000 {
            Self.check(instant)
            instant.addTimeInterval(37_813.7)
        }
    }
}
