/// An exact amount of one currency, counted in its minor units (øre for NOK, cents for EUR).
///
/// Integers only: floating point cannot represent 0.10 exactly, and payments must add up to the øre.
/// Arithmetic is checked and throws `MoneyError` rather than trapping, and amounts of different
/// currencies never mix silently. Deliberately not `Comparable`: `<` across currencies has no answer.
public struct Money: Hashable, Sendable {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }
    public var isPositive: Bool { minorUnits > 0 }

    // MARK: Checked arithmetic

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError.overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError.overflow }
        return Money(minorUnits: difference, currency: currency)
    }

    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw MoneyError.overflow }
        return Money(minorUnits: product, currency: currency)
    }

    /// The amount with its sign flipped, e.g. to book a refund.
    public func negated() throws(MoneyError) -> Money {
        try Money.zero(currency).subtracting(self)
    }

    /// `self × numerator / denominator` in the same currency, rounded once.
    public func scaled(by numerator: Int64, over denominator: Int64, rounding: RoundingRule) throws(MoneyError) -> Money {
        Money(minorUnits: try Rounding.scale(minorUnits, by: numerator, over: denominator, rounding: rounding), currency: currency)
    }

    /// This amount converted at `rateNumerator / rateDenominator` units of `target` per unit of
    /// this currency (major units, e.g. 0.08523 EUR per NOK = 8523 / 100000), rounded once to
    /// the target's minor unit. The exponent difference between the currencies is accounted for.
    public func converted(
        to target: Currency, rateNumerator: Int64, rateDenominator: Int64, rounding: RoundingRule
    ) throws(MoneyError) -> Money {
        // Only the exponent difference matters; putting it on one side keeps the factors small.
        let shift = target.exponent - currency.exponent
        let numerator = try Self.timesPowerOfTen(rateNumerator, max(shift, 0))
        let denominator = try Self.timesPowerOfTen(rateDenominator, max(-shift, 0))
        let minor = try Rounding.scale(minorUnits, by: numerator, over: denominator, rounding: rounding)
        return Money(minorUnits: minor, currency: target)
    }

    /// The total of `amounts`, all of which must be in `currency` (zero if empty).
    public static func sum(_ amounts: some Sequence<Money>, in currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    // MARK: Comparison within one currency

    public func isLess(than other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(other)
        return minorUnits < other.minorUnits
    }

    public func isGreater(than other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(other)
        return minorUnits > other.minorUnits
    }

    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else { throw MoneyError.currencyMismatch(currency, other.currency) }
    }

    private static func timesPowerOfTen(_ value: Int64, _ exponent: Int) throws(MoneyError) -> Int64 {
        var result = value
        for _ in 0..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw MoneyError.overflow }
            result = product
        }
        return result
    }

    // MARK: Decimal strings

    /// The amount in major units with exactly `currency.exponent` decimals and a `.` separator,
    /// e.g. `"1234.50"`, `"-0.05"`, `"1500"` (JPY). The form NextGenPSD2 and ISO 20022 expect.
    public var decimalString: String {
        let (whole, fraction) = Self.split(minorUnits.magnitude, exponent: currency.exponent)
        let sign = minorUnits < 0 ? "-" : ""
        guard let fraction else { return sign + String(whole) }
        return sign + String(whole) + "." + fraction
    }

    /// Splits a magnitude into its whole part and its zero-padded fraction digits (nil for exponent 0).
    static func split(_ magnitude: UInt64, exponent: Int) -> (whole: UInt64, fraction: String?) {
        guard exponent > 0 else { return (magnitude, nil) }
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let digits = String(magnitude % divisor)
        return (magnitude / divisor, String(repeating: "0", count: exponent - digits.count) + digits)
    }

    /// Reads an amount a person typed, e.g. `"1 234,50"`, `"1234.5"`, `"100"`.
    ///
    /// Accepts `.` or `,` as the decimal separator and spaces (also no-break and thin spaces)
    /// between groups of three digits. Refuses signs, letters, and more decimals than the
    /// currency has, rather than guessing what was meant.
    public init(parsing input: String, currency: Currency) throws(MoneyParsingError) {
        var scalars = Substring(input).unicodeScalars[...]
        while let first = scalars.first, ASCII.isGroupingSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, ASCII.isGroupingSpace(last) { scalars.removeLast() }
        guard let first = scalars.first else { throw MoneyParsingError.empty }
        if first == "-" || first == "\u{2212}" { throw MoneyParsingError.negative }

        var groups: [[UInt8]] = [[]]
        var fraction: [UInt8]? = nil
        for scalar in scalars {
            if scalar.isASCII, ASCII.isDigit(UInt8(scalar.value)) {
                let digit = UInt8(scalar.value) - 0x30
                if fraction != nil { fraction?.append(digit) } else { groups[groups.count - 1].append(digit) }
            } else if ASCII.isGroupingSpace(scalar) {
                // A space starts a new group of three; never two in a row, never among the decimals.
                guard fraction == nil, !groups[groups.count - 1].isEmpty else { throw MoneyParsingError.misplacedGroupSeparator }
                groups.append([])
            } else if scalar == "." || scalar == "," {
                guard fraction == nil else { throw MoneyParsingError.multipleDecimalSeparators }
                guard !groups[groups.count - 1].isEmpty || groups.count == 1 else { throw MoneyParsingError.misplacedGroupSeparator }
                fraction = []
            } else {
                throw MoneyParsingError.invalidCharacter(Character(scalar))
            }
        }
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw MoneyParsingError.misplacedGroupSeparator
            }
        }
        let whole = groups.flatMap { $0 }
        guard !whole.isEmpty, fraction.map({ !$0.isEmpty }) ?? true else { throw MoneyParsingError.missingDigits }
        try self.init(whole: whole, fraction: fraction ?? [], negative: false, currency: currency, strictFraction: true)
    }

    /// Reads a machine amount such as NextGenPSD2's `"-123.50"`: optional `-`, digits, optional `.`
    /// and decimals. Fewer decimals than the currency has are fine (`"5.5"`); extra decimals are
    /// accepted only if they are zeros (`"5.500"` NOK), since the value is still exact.
    public init(decimalString input: String, currency: Currency) throws(MoneyParsingError) {
        var scalars = Substring(input).unicodeScalars[...]
        guard let first = scalars.first else { throw MoneyParsingError.empty }
        let negative = first == "-"
        if negative { scalars.removeFirst() }
        var whole: [UInt8] = []
        var fraction: [UInt8]? = nil
        for scalar in scalars {
            if scalar.isASCII, ASCII.isDigit(UInt8(scalar.value)) {
                let digit = UInt8(scalar.value) - 0x30
                if fraction != nil { fraction?.append(digit) } else { whole.append(digit) }
            } else if scalar == "." {
                guard fraction == nil else { throw MoneyParsingError.multipleDecimalSeparators }
                guard !whole.isEmpty else { throw MoneyParsingError.missingDigits }
                fraction = []
            } else {
                throw MoneyParsingError.invalidCharacter(Character(scalar))
            }
        }
        guard !whole.isEmpty, fraction.map({ !$0.isEmpty }) ?? true else { throw MoneyParsingError.missingDigits }
        try self.init(whole: whole, fraction: fraction ?? [], negative: negative, currency: currency, strictFraction: false)
    }

    /// Assembles minor units from digit values, checking precision and overflow.
    private init(whole: [UInt8], fraction: [UInt8], negative: Bool, currency: Currency, strictFraction: Bool) throws(MoneyParsingError) {
        var fraction = fraction
        if fraction.count > currency.exponent {
            let extra = fraction[currency.exponent...]
            guard !strictFraction, extra.allSatisfy({ $0 == 0 }) else {
                throw MoneyParsingError.tooManyFractionDigits(allowed: currency.exponent)
            }
            fraction.removeLast(fraction.count - currency.exponent)
        }
        fraction += Array(repeating: 0, count: currency.exponent - fraction.count)
        // Accumulate as a negative number so Int64.min itself is reachable.
        var value: Int64 = 0
        for digit in whole + fraction {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw MoneyParsingError.tooLarge }
            value = next
        }
        if !negative {
            guard value != Int64.min else { throw MoneyParsingError.tooLarge }
            value = -value
        }
        self.init(minorUnits: value, currency: currency)
    }
}

extension Money: Codable {
    // The API's shape: {"amountMinor": 12345, "currency": "NOK"}.
    private enum CodingKeys: String, CodingKey {
        case minorUnits = "amountMinor"
        case currency
    }
}

extension Money: CustomStringConvertible {
    /// `"1234.50 NOK"`: unambiguous for logs; use `MoneyFormatter` for people.
    public var description: String { "\(decimalString) \(currency.code)" }
}
