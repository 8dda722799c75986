/// A positive exchange rate held exactly, as an integer count of 10⁻¹⁰.
///
/// Rates are never `Double`: "10.7265" must stay 10.7265 through parsing, storage, JSON and
/// arithmetic, so every quote shown to a user can be reproduced to the last digit.
/// Ten decimals are enough for the feed's values (at most 6 decimals after dividing a per-100
/// value) and for inverses (NOK → VND needs ~2,400 with plenty of fraction digits), while the
/// integer part still reaches ~922 million.
public struct FixedPointRate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Number of decimal digits held.
    public static let fractionDigits = 10
    /// 10^fractionDigits, the value of `scaled` for a rate of exactly 1.
    public static let scaleFactor: Int64 = 10_000_000_000

    /// The rate multiplied by 10^10; always greater than zero.
    public let scaled: Int64

    /// Wraps an already-scaled value (10^10 = 1.0).
    public init(scaled: Int64) throws(FixedPointRateError) {
        guard scaled > 0 else { throw scaled == 0 ? .notPositive : .negative }
        self.scaled = scaled
    }

    /// Parses a plain decimal such as "10.7265", "0.09323" or "1".
    ///
    /// Accepted: digits, optionally a point followed by digits. Rejected: empty text, signs,
    /// exponents, spaces, grouping separators, zero, values that do not fit, and more than ten
    /// fraction digits unless the extra ones are zeros (so no silent rounding ever happens here).
    public init(parsing text: String) throws(FixedPointRateError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        if bytes.first == UInt8(ascii: "-") { throw .negative }
        if bytes.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            throw .exponentNotAllowed
        }

        var integerPart: Int64 = 0
        var fraction: Int64 = 0
        var fractionCount = 0
        var integerDigits = 0
        var seenPoint = false

        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .malformed(text) }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed(text) }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if seenPoint {
                fractionCount += 1
                if fractionCount > Self.fractionDigits {
                    // Trailing zeros beyond the scale change nothing; anything else would need rounding.
                    guard digit == 0 else { throw .tooManyFractionDigits }
                    continue
                }
                fraction = fraction * 10 + digit
            } else {
                integerDigits += 1
                let (times10, o1) = integerPart.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw .overflow }
                integerPart = next
            }
        }
        // "5." and ".5" are not what the feed or our JSON ever produce; refuse them to stay canonical.
        guard integerDigits > 0, !seenPoint || fractionCount > 0 else { throw .malformed(text) }

        let significantFractionDigits = min(fractionCount, Self.fractionDigits)
        for _ in significantFractionDigits..<Self.fractionDigits { fraction *= 10 }

        let (integerScaled, o1) = integerPart.multipliedReportingOverflow(by: Self.scaleFactor)
        let (total, o2) = integerScaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { throw .overflow }
        try self.init(scaled: total)
    }

    /// The shortest exact decimal: no trailing zeros, at least one digit before the point.
    public var description: String {
        let integerPart = scaled / Self.scaleFactor
        var fraction = scaled % Self.scaleFactor
        guard fraction != 0 else { return String(integerPart) }
        var width = Self.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let digits = String(fraction)
        return "\(integerPart)." + String(repeating: "0", count: width - digits.count) + digits
    }

    public static func < (lhs: FixedPointRate, rhs: FixedPointRate) -> Bool {
        lhs.scaled < rhs.scaled
    }
}

extension FixedPointRate {
    /// How a result that falls between two representable values is settled.
    public enum Rounding: Sendable, Hashable {
        /// Ties away from zero (0.5 → 1); the usual convention for published rates.
        case halfUp
        /// Ties to the even neighbour (banker's rounding).
        case halfEven
        /// Truncate towards zero.
        case down
        /// Away from zero whenever anything is left over.
        case up
    }

    /// 1 / self, rounded at `scale` decimals (0...10).
    ///
    /// Computes 10^(10+scale) / scaled in 128-bit arithmetic, because 10^20 does not fit in 64 bits.
    /// Throws `.overflow` when the inverse exceeds the representable range and `.notPositive`
    /// when it rounds to zero at the requested scale.
    public func inverse(scale: Int = FixedPointRate.fractionDigits, rounding: Rounding = .halfUp) throws(FixedPointRateError) -> FixedPointRate {
        guard (0...Self.fractionDigits).contains(scale) else { throw .invalidScale(scale) }
        let numerator = UInt64(Self.scaleFactor).multipliedFullWidth(by: Self.powerOfTen(scale))
        let divisor = UInt64(scaled)
        // dividingFullWidth traps when the quotient does not fit in 64 bits; check first.
        guard numerator.high < divisor else { throw .overflow }
        let (quotient, remainder) = divisor.dividingFullWidth(numerator)
        let rounded = try Self.round(quotient: quotient, remainder: remainder, divisor: divisor, rounding: rounding)
        return try Self.rescale(rounded, fromScale: scale)
    }

    /// self / divisor at full precision, e.g. a Norges Bank value per 100 units (UNIT_MULT = 2)
    /// turned into a value per unit.
    public func divided(by divisor: Int64, rounding: Rounding = .halfUp) throws(FixedPointRateError) -> FixedPointRate {
        guard divisor > 0 else { throw .invalidDivisor(divisor) }
        let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: divisor)
        let rounded = try Self.round(
            quotient: UInt64(quotient), remainder: UInt64(remainder), divisor: UInt64(divisor), rounding: rounding
        )
        guard rounded <= UInt64(Int64.max) else { throw .overflow }
        return try FixedPointRate(scaled: Int64(rounded))
    }

    /// self rounded to `scale` decimals (0...10), e.g. to show a rate with 4 decimals.
    public func rounded(scale: Int, rounding: Rounding = .halfUp) throws(FixedPointRateError) -> FixedPointRate {
        guard (0...Self.fractionDigits).contains(scale) else { throw .invalidScale(scale) }
        let unit = Int64(Self.powerOfTen(Self.fractionDigits - scale))
        let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: unit)
        let rounded = try Self.round(
            quotient: UInt64(quotient), remainder: UInt64(remainder), divisor: UInt64(unit), rounding: rounding
        )
        return try Self.rescale(rounded, fromScale: scale)
    }

    /// self rounded half-up to `digits` significant digits (at most 10 decimals), for showing a
    /// rate to a person: 0.0851455137 → 0.085146 and 14.2309871 → 14.231 at 5. Prices are
    /// always computed with the full rate; this is display only.
    public func roundedForDisplay(significantDigits digits: Int = 5) -> FixedPointRate {
        var integerDigits = 0
        var whole = scaled / Self.scaleFactor
        while whole > 0 { integerDigits += 1; whole /= 10 }
        var scale = digits - integerDigits
        if integerDigits == 0 {
            // Leading zeros after the point don't count: 0.0851… has its first significant digit at 2.
            var probe = scaled
            var leadingZeros = Self.fractionDigits
            while probe > 0 { leadingZeros -= 1; probe /= 10 }
            scale = leadingZeros + digits
        }
        return (try? rounded(scale: min(Self.fractionDigits, max(0, scale)))) ?? self
    }

    /// `roundedForDisplay()` as written in `locale`: "0,36405" in Norwegian and Polish, "0.36405" in English.
    public func displayText(for locale: DisplayLocale) -> String {
        let text = roundedForDisplay().description
        return text.replacingOccurrences(of: ".", with: locale.decimalSeparator)
    }

    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Applies the rounding rule to quotient + remainder/divisor (remainder < divisor < 2^63).
    private static func round(quotient: UInt64, remainder: UInt64, divisor: UInt64, rounding: Rounding) throws(FixedPointRateError) -> UInt64 {
        guard remainder != 0 else { return quotient }
        let twice = remainder * 2 // cannot overflow: remainder < divisor <= Int64.max
        let roundUp: Bool
        switch rounding {
        case .down: roundUp = false
        case .up: roundUp = true
        case .halfUp: roundUp = twice >= divisor
        case .halfEven: roundUp = twice > divisor || (twice == divisor && quotient % 2 == 1)
        }
        guard roundUp else { return quotient }
        let (next, overflow) = quotient.addingReportingOverflow(1)
        guard !overflow else { throw .overflow }
        return next
    }

    /// Turns a count of 10^-scale into a rate (count of 10^-10), checking range.
    private static func rescale(_ value: UInt64, fromScale scale: Int) throws(FixedPointRateError) -> FixedPointRate {
        let (widened, overflow) = value.multipliedReportingOverflow(by: powerOfTen(fractionDigits - scale))
        guard !overflow, widened <= UInt64(Int64.max) else { throw .overflow }
        return try FixedPointRate(scaled: Int64(widened))
    }
}

extension FixedPointRate: Codable {
    /// Encoded as a JSON string ("10.7265"): JSON numbers are read as binary floating point by
    /// most clients, which would silently change the rate.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Invalid rate \"\(text)\": \(error)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
