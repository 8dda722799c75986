import Testing
@testable import DropCore

@Suite("Spending limits")
struct SpendingLimitsTests {
    static func nok(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .nok) }

    @Test func productMaximums() {
        #expect(TransferAmountLimits.minimum == Self.nok(100_00))
        #expect(TransferAmountLimits.maximum == Self.nok(50_000_00))
        #expect(SpendingLimits.productMaximum.daily == Self.nok(50_000_00))
        #expect(SpendingLimits.productMaximum.monthly == Self.nok(200_000_00))
    }

    @Test func loweringWithinRange() throws {
        let limits = try SpendingLimits.productMaximum.lowered(daily: Self.nok(5_000_00))
        #expect(limits.daily == Self.nok(5_000_00))
        #expect(limits.monthly == Self.nok(200_000_00))
        let zero = try limits.lowered(monthly: .zero(.nok))
        #expect(zero.monthly.isZero && zero.daily == Self.nok(5_000_00))
        let restored = try zero.lowered(daily: SpendingLimits.maximumDaily, monthly: SpendingLimits.maximumMonthly)
        #expect(restored == .productMaximum)
    }

    @Test func refusesValuesOutsideTheRange() {
        #expect(throws: SpendingLimitError.aboveProductMaximum(field: "daily", maximum: Self.nok(50_000_00))) {
            try SpendingLimits.productMaximum.lowered(daily: Self.nok(50_000_01))
        }
        #expect(throws: SpendingLimitError.aboveProductMaximum(field: "monthly", maximum: Self.nok(200_000_00))) {
            try SpendingLimits.productMaximum.lowered(monthly: Self.nok(200_000_01))
        }
        #expect(throws: SpendingLimitError.negative(field: "daily")) {
            try SpendingLimits.productMaximum.lowered(daily: Self.nok(-1))
        }
        #expect(throws: SpendingLimitError.notNOK(field: "monthly")) {
            try SpendingLimits.productMaximum.lowered(monthly: Money(minorUnits: 100, currency: .eur))
        }
    }

    @Test func checkAllowsUpToTheLimitInclusive() throws {
        let limits = try SpendingLimits(daily: Self.nok(10_000_00), monthly: Self.nok(30_000_00))
        #expect(try limits.check(amount: Self.nok(4_000_00), spentToday: Self.nok(6_000_00), spentThisMonth: Self.nok(20_000_00)) == .allowed)
        #expect(try limits.check(amount: Self.nok(4_000_01), spentToday: Self.nok(6_000_00), spentThisMonth: Self.nok(0))
            == .exceeds(.daily, remaining: Self.nok(4_000_00)))
        #expect(try limits.check(amount: Self.nok(1_000_00), spentToday: Self.nok(0), spentThisMonth: Self.nok(29_500_00))
            == .exceeds(.monthly, remaining: Self.nok(500_00)))
    }

    @Test func dailyIsReportedFirstAndRemainingNeverNegative() throws {
        let limits = try SpendingLimits(daily: Self.nok(1_000_00), monthly: Self.nok(2_000_00))
        // Spent more than a limit lowered later: nothing remains, not a negative amount.
        #expect(try limits.check(amount: Self.nok(100_00), spentToday: Self.nok(1_500_00), spentThisMonth: Self.nok(2_500_00))
            == .exceeds(.daily, remaining: .zero(.nok)))
        #expect(try limits.check(amount: Self.nok(100_00), spentToday: Self.nok(0), spentThisMonth: Self.nok(2_500_00))
            == .exceeds(.monthly, remaining: .zero(.nok)))
    }

    @Test func checkRefusesOtherCurrencies() throws {
        #expect(throws: MoneyError.self) {
            try SpendingLimits.productMaximum.check(amount: Money(minorUnits: 1, currency: .eur), spentToday: Self.nok(0), spentThisMonth: Self.nok(0))
        }
    }
}
