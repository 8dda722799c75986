import Testing
@testable import DropCore

@Suite("Norwegian business days and rate freshness")
struct RateFreshnessTests {
    static func day(_ iso: String) -> CalendarDate { try! CalendarDate(iso: iso) }

    @Test("Easter, Ascension and Whit Monday move with Easter", arguments: [
        ("2026-04-02", true), ("2026-04-03", true), ("2026-04-06", true), ("2026-05-14", true), ("2026-05-25", true),
        ("2025-04-17", true), ("2025-04-21", true), ("2027-03-25", true),
        ("2026-01-01", true), ("2026-05-01", true), ("2026-05-17", true), ("2026-12-25", true), ("2026-12-26", true),
        ("2026-04-01", false), ("2026-04-07", false), ("2026-10-14", false), ("2026-12-24", false),
    ])
    func publicHolidays(_ iso: String, _ holiday: Bool) {
        #expect(NorwegianBusinessDays.isPublicHoliday(Self.day(iso)) == holiday)
    }

    @Test func easterSundays() {
        #expect(NorwegianBusinessDays.easterSunday(2025) == Self.day("2025-04-20"))
        #expect(NorwegianBusinessDays.easterSunday(2026) == Self.day("2026-04-05"))
        #expect(NorwegianBusinessDays.easterSunday(2027) == Self.day("2027-03-28"))
        #expect(NorwegianBusinessDays.easterSunday(2038) == Self.day("2038-04-25"))
    }

    @Test func weekdaysAndPreviousBusinessDay() {
        #expect(NorwegianBusinessDays.isoWeekday(Self.day("2026-10-14")) == 3)  // a Wednesday
        #expect(NorwegianBusinessDays.isoWeekday(Self.day("1970-01-01")) == 4)
        #expect(!NorwegianBusinessDays.isBusinessDay(Self.day("2026-10-17")))  // Saturday
        #expect(NorwegianBusinessDays.previousBusinessDay(before: Self.day("2026-10-14")) == Self.day("2026-10-13"))
        #expect(NorwegianBusinessDays.previousBusinessDay(before: Self.day("2026-10-19")) == Self.day("2026-10-16"))  // Monday → Friday
        // Tuesday after Easter: back over Easter Monday, the weekend, Good Friday and Maundy Thursday.
        #expect(NorwegianBusinessDays.previousBusinessDay(before: Self.day("2026-04-07")) == Self.day("2026-04-01"))
        #expect(NorwegianBusinessDays.previousBusinessDay(before: Self.day("2027-01-04")) == Self.day("2026-12-31"))
    }

    /// Norges Bank publishes no rates on Christmas Eve: the 23rd's stay the newest until the 28th (2026)
    /// or the 29th (2025, whose 27th and 28th are a weekend), and pricing goes on over Christmas.
    @Test func christmasEveHasNoRatesSoThe23rdsCarryOver() {
        #expect(NorwegianBusinessDays.isBusinessDay(Self.day("2026-12-24")) && !NorwegianBusinessDays.isRatePublicationDay(Self.day("2026-12-24")))
        #expect(NorwegianBusinessDays.previousRatePublicationDay(before: Self.day("2026-12-28")) == Self.day("2026-12-23"))
        for today in ["2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28"] {
            #expect(RateFreshness.isFresh(asOf: Self.day("2026-12-23"), today: Self.day(today)), "\(today)")
        }
        #expect(!RateFreshness.isFresh(asOf: Self.day("2026-12-23"), today: Self.day("2026-12-29")))
        #expect(RateFreshness.isFresh(asOf: Self.day("2025-12-23"), today: Self.day("2025-12-29")))
    }

    @Test func aRateIsFreshUntilTheNextBusinessDayHasPassed() {
        // Wednesday: Tuesday's rate (published Tuesday afternoon) and Wednesday's are fresh.
        #expect(RateFreshness.isFresh(asOf: Self.day("2026-10-13"), today: Self.day("2026-10-14")))
        #expect(RateFreshness.isFresh(asOf: Self.day("2026-10-14"), today: Self.day("2026-10-14")))
        #expect(!RateFreshness.isFresh(asOf: Self.day("2026-10-12"), today: Self.day("2026-10-14")))
        // Friday's rate carries over the weekend to Monday, not to Tuesday.
        #expect(RateFreshness.isFresh(asOf: Self.day("2026-10-16"), today: Self.day("2026-10-18")))
        #expect(RateFreshness.isFresh(asOf: Self.day("2026-10-16"), today: Self.day("2026-10-19")))
        #expect(!RateFreshness.isFresh(asOf: Self.day("2026-10-16"), today: Self.day("2026-10-20")))
        // Over Easter the Wednesday before still counts on the Tuesday after.
        #expect(RateFreshness.isFresh(asOf: Self.day("2026-04-01"), today: Self.day("2026-04-07")))
        #expect(!RateFreshness.isFresh(asOf: Self.day("2026-03-31"), today: Self.day("2026-04-07")))
    }
}
