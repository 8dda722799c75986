import DropTestTools
import Testing
@testable import DropCore

@Suite("Rounding")
struct RoundingTests {
    // (n, d, [down, up, halfUp, halfEven])
    static let table: [(Int64, Int64, [Int64])] = [
        (6, 3, [2, 2, 2, 2]),        // exact
        (7, 3, [2, 3, 2, 2]),        // 2.33
        (8, 3, [2, 3, 3, 3]),        // 2.67
        (5, 2, [2, 3, 3, 2]),        // 2.5: tie, even neighbour is 2
        (7, 2, [3, 4, 4, 4]),        // 3.5: tie, even neighbour is 4
        (1, 2, [0, 1, 1, 0]),        // 0.5
        (1, 3, [0, 1, 0, 0]),
        (0, 7, [0, 0, 0, 0]),
        (-6, 3, [-2, -2, -2, -2]),
        (-7, 3, [-2, -3, -2, -2]),
        (-8, 3, [-2, -3, -3, -3]),
        (-5, 2, [-2, -3, -3, -2]),
        (-7, 2, [-3, -4, -4, -4]),
        (-1, 2, [0, -1, -1, 0]),
        (7, -2, [-3, -4, -4, -4]),   // negative divisor
        (-7, -2, [3, 4, 4, 4]),      // both negative
        (15, 10, [1, 2, 2, 2]),
        (25, 10, [2, 3, 3, 2]),
        (-25, 10, [-2, -3, -3, -2]),
        (24_999, 10_000, [2, 3, 2, 2]),
        (25_001, 10_000, [2, 3, 3, 3]),
    ]

    @Test("divide", arguments: table)
    func divide(n: Int64, d: Int64, expected: [Int64]) throws {
        let rules: [RoundingRule] = [.down, .up, .halfUp, .halfEven]
        for (rule, value) in zip(rules, expected) {
            #expect(try Rounding.divide(n, by: d, rounding: rule) == value, "\(n)/\(d) \(rule)")
        }
    }

    @Test("division by zero is an error", arguments: RoundingRule.allCases)
    func divisionByZero(rule: RoundingRule) {
        #expect(throws: MoneyError.divisionByZero) { try Rounding.divide(1, by: 0, rounding: rule) }
        #expect(throws: MoneyError.divisionByZero) { try Rounding.scale(0, by: 5, over: 0, rounding: rule) }
    }

    @Test("Int64 limits", arguments: RoundingRule.allCases)
    func limits(rule: RoundingRule) throws {
        #expect(throws: MoneyError.overflow) { try Rounding.divide(.min, by: -1, rounding: rule) }
        #expect(try Rounding.divide(.min, by: 1, rounding: rule) == .min)
        #expect(try Rounding.divide(.max, by: 1, rounding: rule) == .max)
        #expect(try Rounding.divide(.max, by: -1, rounding: rule) == -.max)
        #expect(try Rounding.divide(.min, by: .min, rounding: rule) == 1)
        #expect(try Rounding.divide(1, by: .min, rounding: rule) == (rule == .up ? -1 : 0))
    }

    @Test func scaleKeepsTheIntermediateProductIn128Bits() throws {
        // Int64.max × Int64.max overflows 64 bits, but the quotient fits.
        #expect(try Rounding.scale(.max, by: .max, over: .max, rounding: .down) == .max)
        #expect(try Rounding.scale(.min, by: 2, over: 2, rounding: .down) == .min)
        #expect(try Rounding.scale(.min, by: .min, over: .min, rounding: .down) == .min)
        // Int64.max × 10 / 20 = 4611686018427387903.5
        #expect(try Rounding.scale(.max, by: 10, over: 20, rounding: .down) == 4_611_686_018_427_387_903)
        #expect(try Rounding.scale(.max, by: 10, over: 20, rounding: .halfUp) == 4_611_686_018_427_387_904)
        #expect(try Rounding.scale(.max, by: 10, over: 20, rounding: .halfEven) == 4_611_686_018_427_387_904)
        #expect(try Rounding.scale(.max, by: -10, over: 20, rounding: .halfUp) == -4_611_686_018_427_387_904)
    }

    @Test func scaleReportsOverflow() {
        #expect(throws: MoneyError.overflow) { try Rounding.scale(.max, by: 2, over: 1, rounding: .down) }
        #expect(throws: MoneyError.overflow) { try Rounding.scale(.max, by: 3, over: 2, rounding: .down) }
        #expect(throws: MoneyError.overflow) { try Rounding.scale(.min, by: -1, over: 1, rounding: .down) }
        #expect(throws: MoneyError.overflow) { try Rounding.scale(.min, by: .min, over: 1, rounding: .down) }
        #expect(throws: MoneyError.overflow) { try Rounding.scale(.min, by: 2, over: -2, rounding: .down) }
    }

    /// (2³² − 1)(2³² + 1) / 2 = Int64.max + ½: fits only until it is rounded away from zero.
    @Test func roundingCanBeWhatOverflows() throws {
        let a: Int64 = 4_294_967_295, b: Int64 = 4_294_967_297
        #expect(try Rounding.scale(a, by: b, over: 2, rounding: .down) == .max)
        #expect(throws: MoneyError.overflow) { try Rounding.scale(a, by: b, over: 2, rounding: .up) }
        #expect(throws: MoneyError.overflow) { try Rounding.scale(a, by: b, over: 2, rounding: .halfUp) }
        #expect(throws: MoneyError.overflow) { try Rounding.scale(a, by: b, over: 2, rounding: .halfEven) }
        // On the negative side the same magnitude lands exactly on Int64.min.
        #expect(try Rounding.scale(-a, by: b, over: 2, rounding: .up) == .min)
        #expect(try Rounding.scale(a, by: -b, over: 2, rounding: .halfUp) == .min)
        #expect(try Rounding.scale(a, by: b, over: -2, rounding: .down) == -.max)
    }

    /// Checks every rule against a brute-force reference: take the two integers around the exact
    /// quotient and pick by distance and direction, with no shared code path.
    @Test("matches a brute-force reference", arguments: RoundingRule.allCases)
    func matchesReference(rule: RoundingRule) throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let n = Int64.random(in: -1_000_000 ... 1_000_000, using: &random)
            var d = Int64.random(in: -2_000 ... 2_000, using: &random)
            if d == 0 { d = 1 }
            #expect(try Rounding.divide(n, by: d, rounding: rule) == Self.reference(n, d, rule), "\(n)/\(d)")
        }
    }

    private static func reference(_ n: Int64, _ d: Int64, _ rule: RoundingRule) -> Int64 {
        // floor(n / d) for either sign of d.
        var low = n / d
        if (n % d != 0) && ((n < 0) != (d < 0)) { low -= 1 }
        if low * d == n { return low }
        let high = low + 1
        let distanceLow = abs(n - low * d), distanceHigh = abs(high * d - n)
        let towardZero = abs(low) < abs(high) ? low : high
        let awayFromZero = towardZero == low ? high : low
        switch rule {
        case .down: return towardZero
        case .up: return awayFromZero
        case .halfUp, .halfEven:
            if distanceLow != distanceHigh { return distanceLow < distanceHigh ? low : high }
            if rule == .halfUp { return awayFromZero }
            return low % 2 == 0 ? low : high
        }
    }

    @Test func rulesAreCodableByName() {
        #expect(RoundingRule(rawValue: "halfUp") == .halfUp)
        #expect(RoundingRule.allCases.map(\.rawValue) == ["halfUp", "halfEven", "down", "up"])
    }
}
