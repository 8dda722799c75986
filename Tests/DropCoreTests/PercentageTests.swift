import Foundation
import Testing
@testable import DropCore

@Suite("Percentage")
struct PercentageTests {
    private func nok(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .nok) }

    @Test("Drop's 0.5 % fee, half-up to the øre", arguments: [
        (Int64(100_001), Int64(500)),   // 1000.01 NOK → 5.00005 → 5.00
        (10_010, 50),                   // 100.10 NOK → 0.5005 → 0.50
        (1, 0),                         // 1 øre → 0.005 øre → 0
        (99, 0),                        // 0.495 øre → 0
        (100, 1),                       // 0.5 øre exactly → 1 (half up)
        (101, 1),
        (299, 1),                       // 1.495 → 1
        (300, 2),                       // 1.5 → 2
        (10_000, 50),                   // 100 NOK (minimum transfer) → 0.50
        (5_000_000, 25_000),            // 50 000 NOK (maximum) → 250.00
        (123_456, 617),                 // 617.28 → 617
        (0, 0),
        (-100_001, -500),               // refunds round symmetrically
        (-100, -1),
        (-99, 0),
    ])
    func dropFee(minor: Int64, fee: Int64) throws {
        #expect(try nok(minor).percentage(50) == nok(fee))
    }

    @Test("every rounding rule at a half", arguments: [
        (RoundingRule.halfUp, Int64(1), Int64(2), Int64(-1)),
        (.halfEven, 0, 2, 0),
        (.down, 0, 1, 0),
        (.up, 1, 2, -1),
    ])
    func rulesAtAHalf(rule: RoundingRule, halfOfOne: Int64, oneAndAHalf: Int64, minusHalf: Int64) throws {
        // 0.5 % of 1.00 NOK = 0.5 øre; of 3.00 NOK = 1.5 øre.
        #expect(try nok(100).percentage(50, rounding: rule) == nok(halfOfOne))
        #expect(try nok(300).percentage(50, rounding: rule) == nok(oneAndAHalf))
        #expect(try nok(-100).percentage(50, rounding: rule) == nok(minusHalf))
    }

    @Test func otherRates() throws {
        #expect(try nok(12_345).percentage(0) == nok(0))
        #expect(try nok(12_345).percentage(10_000) == nok(12_345))          // 100 %
        #expect(try nok(12_345).percentage(20_000) == nok(24_690))          // 200 %
        #expect(try nok(12_345).percentage(1) == nok(1))                    // 0.01 % = 1.2345 øre
        #expect(try nok(12_345).percentage(-50) == nok(-62))                // −61.725 → −62
        #expect(try nok(12_345).percentage(BasisPoints(250)) == nok(309))   // 2.5 % = 308.625 → 309
    }

    @Test("other exponents", arguments: [
        (Currency.jpy, Int64(1000), Int64(5)),      // 0.5 % of ¥1000 = ¥5
        (.jpy, 199, 1),                             // ¥0.995 → ¥1
        (.jpy, 99, 0),                              // ¥0.495 → ¥0
        (.kwd, 1000, 5),                            // 0.5 % of 1.000 KWD = 0.005
        (.kwd, 1099, 5),                            // 0.005495 → 0.005
        (.kwd, 1100, 6),                            // 0.0055 → 0.006
    ])
    func otherExponents(currency: Currency, minor: Int64, fee: Int64) throws {
        #expect(try Money(minorUnits: minor, currency: currency).percentage(50) == Money(minorUnits: fee, currency: currency))
    }

    @Test func extremes() throws {
        // 100 % of the largest amount needs a 128-bit intermediate, and fits.
        #expect(try nok(.max).percentage(10_000) == nok(.max))
        #expect(try nok(.min).percentage(10_000) == nok(.min))
        #expect(try nok(.max).percentage(50) == nok(46_116_860_184_273_879))  // 46116860184273879.035
        #expect(throws: MoneyError.overflow) { try nok(.max).percentage(20_000) }
        #expect(throws: MoneyError.overflow) { try nok(.min).percentage(-10_000) }
    }

    @Test func basisPointsValueSemantics() throws {
        let fee: BasisPoints = 50
        #expect(fee == BasisPoints(50))
        #expect(fee.value == 50)
        #expect(BasisPoints.zero < fee)
        #expect(fee.description == "0.50 %")
        #expect(BasisPoints(-125).description == "-1.25 %")
        #expect(BasisPoints(10_000).description == "100.00 %")
        #expect(String(decoding: try JSONEncoder().encode(fee), as: UTF8.self) == "50")
        #expect(try JSONDecoder().decode(BasisPoints.self, from: Data("75".utf8)) == 75)
    }
}
