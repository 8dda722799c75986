import DropCore
import Testing

@Suite("A published rate is refused when it is dated after today or moves more than the band")
struct RatePlausibilityTests {
    static let monday = try! CalendarDate(iso: "2026-09-21")

    static func rate(_ text: String) throws -> FixedPointRate { try FixedPointRate(parsing: text) }

    @Test func aRateDatedAfterTodayIsRefusedWhateverItsValue() throws {
        let euro = try Self.rate("0.0853")
        #expect(RatePlausibility.check(rate: euro, asOf: try CalendarDate(iso: "2099-01-01"), previous: euro, today: Self.monday) == .futureDated)
        #expect(RatePlausibility.check(rate: euro, asOf: try CalendarDate(iso: "2026-09-22"), previous: nil, today: Self.monday) == .futureDated)
        // Today's own rate (published at 16:00) and older ones are dated well.
        #expect(RatePlausibility.check(rate: euro, asOf: Self.monday, previous: euro, today: Self.monday) == .plausible)
        #expect(RatePlausibility.check(rate: euro, asOf: try CalendarDate(iso: "2026-09-18"), previous: euro, today: Self.monday) == .plausible)
    }

    @Test func aCurrencysFirstRateIsTaken() throws {
        #expect(RatePlausibility.check(rate: try Self.rate("8.53"), asOf: Self.monday, previous: nil, today: Self.monday) == .plausible)
    }

    @Test func aMoveUpToTenPercentIsTakenAndMoreIsRefusedEitherWay() throws {
        let previous = try Self.rate("0.1")
        for (text, verdict) in [("0.11", RatePlausibility.Verdict.plausible), ("0.09", .plausible), ("0.1100000001", .movedTooFar),
                                ("0.0899999999", .movedTooFar), ("10", .movedTooFar), ("0.001", .movedTooFar), ("0.1", .plausible)] {
            #expect(RatePlausibility.check(rate: try Self.rate(text), asOf: Self.monday, previous: previous, today: Self.monday) == verdict, "\(text)")
        }
    }

    /// The products are wider than 64 bits for the largest rates a `FixedPointRate` holds.
    @Test func theLargestRatesAreComparedWithoutOverflow() throws {
        let large = try Self.rate("900000000")
        #expect(RatePlausibility.check(rate: try Self.rate("922000000"), asOf: Self.monday, previous: large, today: Self.monday) == .plausible)
        #expect(RatePlausibility.check(rate: try Self.rate("0.0000000001"), asOf: Self.monday, previous: large, today: Self.monday) == .movedTooFar)
    }
}
