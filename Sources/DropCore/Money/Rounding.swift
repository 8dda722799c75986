/// How to round an exact quotient that falls between two minor units.
///
/// Named as in ISO 20022 / Java's `RoundingMode`: `down` and `up` are toward and away
/// from zero, so a rule treats a refund (negative) exactly like the matching charge.
public enum RoundingRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// Nearest; exact halves away from zero (2.5 → 3, −2.5 → −3). Commercial rounding: Drop's fees.
    case halfUp
    /// Nearest; exact halves to the even neighbour (2.5 → 2, 3.5 → 4). Banker's rounding.
    case halfEven
    /// Toward zero: drop the remainder (2.9 → 2, −2.9 → −2).
    case down
    /// Away from zero: any remainder rounds outward (2.1 → 3, −2.1 → −3).
    case up
}

/// Integer division with an explicit rounding rule, for amounts in minor units.
///
/// Intermediate products are kept in 128 bits, so `value × numerator` may exceed `Int64`
/// as long as the final quotient fits. Nothing here traps: failures are `MoneyError`s.
public enum Rounding {
    /// `n / d`, rounded by `rule`.
    public static func divide(_ n: Int64, by d: Int64, rounding rule: RoundingRule) throws(MoneyError) -> Int64 {
        try scale(n, by: 1, over: d, rounding: rule)
    }

    /// `value × numerator / denominator`, rounded once at the end by `rule`.
    ///
    /// Use this for percentages (`minor × bp / 10 000`) and exchange rates given as a fraction:
    /// rounding once, after the multiplication, is what keeps the result exact.
    public static func scale(
        _ value: Int64, by numerator: Int64, over denominator: Int64, rounding rule: RoundingRule
    ) throws(MoneyError) -> Int64 {
        guard denominator != 0 else { throw MoneyError.divisionByZero }
        let isNegative = ((value < 0) != (numerator < 0)) != (denominator < 0)

        // Work on magnitudes: every rule is symmetric around zero, so the sign goes back on last.
        let divisor = denominator.magnitude
        let product = value.magnitude.multipliedFullWidth(by: numerator.magnitude)
        // dividingFullWidth traps when the quotient needs more than 64 bits; rule that out first.
        guard product.high < divisor else { throw MoneyError.overflow }
        let (quotient, remainder) = divisor.dividingFullWidth(product)

        let roundsAway: Bool
        if remainder == 0 {
            roundsAway = false
        } else {
            // remainder < divisor, so `divisor - remainder` cannot underflow; compares 2r with d without overflow.
            let rest = divisor - remainder
            switch rule {
            case .down: roundsAway = false
            case .up: roundsAway = true
            case .halfUp: roundsAway = remainder >= rest
            case .halfEven: roundsAway = remainder > rest || (remainder == rest && quotient & 1 == 1)
            }
        }
        let (magnitude, carried) = quotient.addingReportingOverflow(roundsAway ? 1 : 0)
        guard !carried else { throw MoneyError.overflow }
        return try signed(magnitude, negative: isNegative)
    }

    /// Puts the sign back, allowing `Int64.min` whose magnitude is one more than `Int64.max`.
    private static func signed(_ magnitude: UInt64, negative: Bool) throws(MoneyError) -> Int64 {
        if negative {
            guard magnitude <= Int64.min.magnitude else { throw MoneyError.overflow }
            return magnitude == Int64.min.magnitude ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw MoneyError.overflow }
        return Int64(magnitude)
    }
}
