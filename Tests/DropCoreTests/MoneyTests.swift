import DropTestTools
import Foundation
import Testing
@testable import DropCore

@Suite("Money")
struct MoneyTests {
    private func nok(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .nok) }

    // MARK: JSON shape

    @Test func encodesAsTheAPIShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(nok(12345)), as: UTF8.self)
        #expect(json == #"{"amountMinor":12345,"currency":"NOK"}"#)
    }

    @Test func decodesTheAPIShape() throws {
        let money = try JSONDecoder().decode(Money.self, from: Data(#"{"currency":"KWD","amountMinor":-1500}"#.utf8))
        #expect(money == Money(minorUnits: -1500, currency: .kwd))
    }

    @Test("rejects malformed JSON", arguments: [
        #"{"amountMinor":1,"currency":"XYZ"}"#,
        #"{"amountMinor":1}"#,
        #"{"currency":"NOK"}"#,
        #"{"amountMinor":1.5,"currency":"NOK"}"#,
        #"{"amountMinor":"100","currency":"NOK"}"#,
        #"{"amountMinor":9223372036854775808,"currency":"NOK"}"#,
    ])
    func rejectsMalformedJSON(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(json.utf8)) }
    }

    // MARK: Arithmetic

    @Test func addsSubtractsAndMultiplies() throws {
        #expect(try nok(150).adding(nok(250)) == nok(400))
        #expect(try nok(150).subtracting(nok(250)) == nok(-100))
        #expect(try nok(150).multiplied(by: -3) == nok(-450))
        #expect(try nok(150).multiplied(by: 0) == nok(0))
        #expect(try nok(-7).negated() == nok(7))
        #expect(Money.zero(.eur) == Money(minorUnits: 0, currency: .eur))
    }

    @Test func refusesToMixCurrencies() {
        let eur = Money(minorUnits: 100, currency: .eur)
        #expect(throws: MoneyError.currencyMismatch(.nok, .eur)) { try nok(100).adding(eur) }
        #expect(throws: MoneyError.currencyMismatch(.nok, .eur)) { try nok(100).subtracting(eur) }
        #expect(throws: MoneyError.currencyMismatch(.nok, .eur)) { try nok(100).isLess(than: eur) }
        #expect(throws: MoneyError.currencyMismatch(.nok, .eur)) { try nok(100).isGreater(than: eur) }
        #expect(throws: MoneyError.currencyMismatch(.nok, .eur)) { try Money.sum([nok(1), eur], in: .nok) }
        // Zero is still a zero *of a currency*.
        #expect(throws: MoneyError.currencyMismatch(.nok, .eur)) { try nok(0).adding(.zero(.eur)) }
    }

    @Test func reportsOverflowInsteadOfTrapping() {
        #expect(throws: MoneyError.overflow) { try nok(.max).adding(nok(1)) }
        #expect(throws: MoneyError.overflow) { try nok(.min).adding(nok(-1)) }
        #expect(throws: MoneyError.overflow) { try nok(.min).subtracting(nok(1)) }
        #expect(throws: MoneyError.overflow) { try nok(.max).subtracting(nok(-1)) }
        #expect(throws: MoneyError.overflow) { try nok(.max).multiplied(by: 2) }
        #expect(throws: MoneyError.overflow) { try nok(.min).multiplied(by: -1) }
        #expect(throws: MoneyError.overflow) { try nok(.min).negated() }
        #expect(throws: MoneyError.overflow) { try Money.sum([nok(.max), nok(1)], in: .nok) }
    }

    @Test func arithmeticAtTheLimits() throws {
        #expect(try nok(.max).adding(nok(.min)) == nok(-1))
        #expect(try nok(.max - 1).adding(nok(1)) == nok(.max))
        #expect(try nok(.min + 1).subtracting(nok(1)) == nok(.min))
        #expect(try nok(.max).negated() == nok(-.max))
        #expect(try nok(.min).multiplied(by: 1) == nok(.min))
    }

    @Test func comparesWithinOneCurrency() throws {
        #expect(try nok(1).isLess(than: nok(2)))
        #expect(try !nok(2).isLess(than: nok(2)))
        #expect(try nok(-1).isLess(than: nok(0)))
        #expect(try nok(3).isGreater(than: nok(2)))
        #expect(try !nok(2).isGreater(than: nok(2)))
    }

    @Test func signPredicates() {
        #expect(nok(0).isZero && !nok(0).isNegative && !nok(0).isPositive)
        #expect(nok(-1).isNegative && !nok(-1).isZero)
        #expect(nok(1).isPositive)
    }

    @Test func sums() throws {
        #expect(try Money.sum([nok(100), nok(-30), nok(5)], in: .nok) == nok(75))
        #expect(try Money.sum([], in: .eur) == .zero(.eur))
    }

    // MARK: Conversion

    @Test("converts between exponents", arguments: [
        // 1 000 NOK at 0.08523 EUR/NOK = 85.23 EUR
        (Int64(100_000), Currency.eur, Int64(8523), Int64(100_000), RoundingRule.halfUp, Int64(8523)),
        // 100 NOK at 14.2 JPY/NOK = 1 420 JPY (exponent 0)
        (10_000, .jpy, 142, 10, .halfUp, 1420),
        // 1 000 NOK at 0.02871 KWD/NOK = 28.710 KWD (exponent 3)
        (100_000, .kwd, 2871, 100_000, .halfUp, 28_710),
        // 1 øre at 0.08523 = 0.0852 cent → 0 half-up, 1 rounding up
        (1, .eur, 8523, 100_000, .halfUp, 0),
        (1, .eur, 8523, 100_000, .up, 1),
        // 0.99 NOK at 0.5 JPY/NOK = 0.495 JPY → 0; 1.00 NOK → 0.5 → 1 half-up, 0 half-even
        (99, .jpy, 1, 2, .halfUp, 0),
        (100, .jpy, 1, 2, .halfUp, 1),
        (100, .jpy, 1, 2, .halfEven, 0),
        // Negative amounts (refunds) round symmetrically.
        (-100, .jpy, 1, 2, .halfUp, -1),
        // A rate with 10 fixed decimals (0.0852300000 EUR/NOK) as numerator over 10^10.
        (100_000, .eur, 852_300_000, 10_000_000_000, .halfUp, 8523),
        // 1 NOK at 14.2612345678 JPY/NOK → ¥14.26 → ¥14; 1 000 NOK at 0.0287123456 → 28.7123456 → 28.712 KWD.
        (100, .jpy, 142_612_345_678, 10_000_000_000, .halfUp, 14),
        (100_000, .kwd, 287_123_456, 10_000_000_000, .halfUp, 28_712),
    ])
    func converts(minor: Int64, target: Currency, numerator: Int64, denominator: Int64, rule: RoundingRule, expected: Int64) throws {
        let converted = try nok(minor).converted(to: target, rateNumerator: numerator, rateDenominator: denominator, rounding: rule)
        #expect(converted == Money(minorUnits: expected, currency: target))
    }

    @Test func conversionFailuresAreErrors() {
        #expect(throws: MoneyError.divisionByZero) {
            try nok(100).converted(to: .eur, rateNumerator: 1, rateDenominator: 0, rounding: .halfUp)
        }
        #expect(throws: MoneyError.overflow) {
            try nok(.max).converted(to: .eur, rateNumerator: 2, rateDenominator: 1, rounding: .halfUp)
        }
        #expect(throws: MoneyError.overflow) {
            try nok(1).converted(to: .kwd, rateNumerator: .max / 5, rateDenominator: 1, rounding: .halfUp)
        }
    }

    // MARK: Parsing what people type

    @Test("parses typed amounts", arguments: [
        ("1 234,50", Currency.nok, Int64(123_450)),
        ("1234.5", .nok, 123_450),
        ("1234,5", .nok, 123_450),
        ("100", .nok, 10_000),
        ("0", .nok, 0),
        ("0,01", .nok, 1),
        ("0.00", .nok, 0),
        ("007", .nok, 700),
        ("  42  ", .nok, 4200),
        ("1\u{00A0}234\u{00A0}567,89", .nok, 123_456_789),
        ("1\u{202F}000", .nok, 100_000),
        ("1\u{2009}000", .nok, 100_000),
        ("1 000 000", .nok, 100_000_000),
        ("12 345", .nok, 1_234_500),
        ("123 456,7", .nok, 12_345_670),
        ("1500", .jpy, 1500),
        ("1 500", .jpy, 1500),
        ("1,234", .kwd, 1234),
        ("0.5", .kwd, 500),
        ("92233720368547758,07", .nok, .max),
        ("92 233 720 368 547 758,07", .nok, .max),
        ("9223372036854775807", .jpy, .max),
    ])
    func parsesTypedAmounts(input: String, currency: Currency, minor: Int64) throws {
        #expect(try Money(parsing: input, currency: currency) == Money(minorUnits: minor, currency: currency))
    }

    @Test("refuses typed amounts with a reason", arguments: [
        ("", Currency.nok, MoneyParsingError.empty),
        ("   ", .nok, .empty),
        ("\u{00A0}", .nok, .empty),
        ("-5", .nok, .negative),
        ("\u{2212}5", .nok, .negative),
        (" -0", .nok, .negative),
        ("+5", .nok, .invalidCharacter("+")),
        ("12a", .nok, .invalidCharacter("a")),
        ("abc", .nok, .invalidCharacter("a")),
        ("kr 100", .nok, .invalidCharacter("k")),
        ("100 kr", .nok, .invalidCharacter("k")),
        ("1e5", .nok, .invalidCharacter("e")),
        ("5-", .nok, .invalidCharacter("-")),
        ("\u{0663}", .nok, .invalidCharacter("\u{0663}")),   // Arabic-Indic three is not a digit here
        ("1_000", .nok, .invalidCharacter("_")),
        ("1'000", .nok, .invalidCharacter("'")),
        ("1,234.50", .nok, .multipleDecimalSeparators),
        ("1.234.567", .nok, .multipleDecimalSeparators),
        ("1,,5", .nok, .multipleDecimalSeparators),
        ("1,005", .nok, .tooManyFractionDigits(allowed: 2)),
        ("0,001", .nok, .tooManyFractionDigits(allowed: 2)),
        ("1,000", .nok, .tooManyFractionDigits(allowed: 2)),
        ("100,00", .jpy, .tooManyFractionDigits(allowed: 0)),
        ("100,0", .jpy, .tooManyFractionDigits(allowed: 0)),
        ("1,2345", .kwd, .tooManyFractionDigits(allowed: 3)),
        ("12 34", .nok, .misplacedGroupSeparator),
        ("1234 567", .nok, .misplacedGroupSeparator),
        ("1 23", .nok, .misplacedGroupSeparator),
        ("1 2345", .nok, .misplacedGroupSeparator),
        ("1  234", .nok, .misplacedGroupSeparator),
        ("1 234,5 0", .nok, .misplacedGroupSeparator),
        ("1 ,50", .nok, .misplacedGroupSeparator),
        (",50", .nok, .missingDigits),
        (".5", .nok, .missingDigits),
        ("5,", .nok, .missingDigits),
        (",", .nok, .missingDigits),
        ("92233720368547758,08", .nok, .tooLarge),
        ("99999999999999999999", .nok, .tooLarge),
        ("9223372036854775808", .jpy, .tooLarge),
        ("9223372036854775,808", .kwd, .tooLarge),
    ])
    func refusesTypedAmounts(input: String, currency: Currency, reason: MoneyParsingError) {
        #expect(throws: reason) { try Money(parsing: input, currency: currency) }
    }

    @Test func parsingErrorsMapToValidationIssues() {
        #expect(MoneyParsingError.empty.validationIssue().issue == "required")
        #expect(MoneyParsingError.empty.validationIssue().field == "amount")
        #expect(MoneyParsingError.negative.validationIssue(field: "sendAmount").field == "sendAmount")
        #expect(MoneyParsingError.negative.validationIssue().issue == "negative")
        #expect(MoneyParsingError.tooManyFractionDigits(allowed: 2).validationIssue().issue == "precision")
        #expect(MoneyParsingError.tooManyFractionDigits(allowed: 2).description == "Use at most 2 decimals.")
        #expect(MoneyParsingError.tooManyFractionDigits(allowed: 0).description == "This currency has no decimals.")
        #expect(MoneyParsingError.tooLarge.validationIssue().issue == "range")
        #expect(MoneyParsingError.invalidCharacter("x").validationIssue().issue == "format")
        #expect(MoneyParsingError.misplacedGroupSeparator.validationIssue().issue == "format")
    }

    // MARK: Decimal strings (NextGenPSD2 / ISO 20022)

    @Test("decimal string", arguments: [
        (Int64(123_450), Currency.nok, "1234.50"),
        (5, .nok, "0.05"),
        (-5, .nok, "-0.05"),
        (0, .nok, "0.00"),
        (100, .nok, "1.00"),
        (-123_450, .nok, "-1234.50"),
        (1500, .jpy, "1500"),
        (-1500, .jpy, "-1500"),
        (0, .jpy, "0"),
        (1234, .kwd, "1.234"),
        (1, .kwd, "0.001"),
        (-10, .kwd, "-0.010"),
        (.max, .nok, "92233720368547758.07"),
        (.min, .nok, "-92233720368547758.08"),
        (.min, .jpy, "-9223372036854775808"),
    ])
    func decimalString(minor: Int64, currency: Currency, expected: String) throws {
        let money = Money(minorUnits: minor, currency: currency)
        #expect(money.decimalString == expected)
        #expect(try Money(decimalString: expected, currency: currency) == money)
    }

    @Test("reads machine amounts", arguments: [
        ("123.5", Currency.nok, Int64(12_350)),
        ("123", .nok, 12_300),
        ("-0.05", .nok, -5),
        ("-0", .nok, 0),
        ("5.500", .nok, 550),          // extra zero decimals are still exact
        ("0012.30", .nok, 1230),
        ("5.000", .jpy, 5),
        ("1.2", .kwd, 1200),
    ])
    func readsMachineAmounts(input: String, currency: Currency, minor: Int64) throws {
        #expect(try Money(decimalString: input, currency: currency) == Money(minorUnits: minor, currency: currency))
    }

    @Test("refuses malformed machine amounts", arguments: [
        ("", MoneyParsingError.empty),
        ("-", .missingDigits),
        ("1.", .missingDigits),
        (".5", .missingDigits),
        ("1.2.3", .multipleDecimalSeparators),
        ("--1", .invalidCharacter("-")),
        ("1,5", .invalidCharacter(",")),
        (" 1", .invalidCharacter(" ")),
        ("+1", .invalidCharacter("+")),
        ("1 000", .invalidCharacter(" ")),
        ("5.5ø", .invalidCharacter("ø")),
        ("5.501", .tooManyFractionDigits(allowed: 2)),
        ("92233720368547758.08", .tooLarge),
        ("-92233720368547758.09", .tooLarge),
    ])
    func refusesMachineAmounts(input: String, reason: MoneyParsingError) {
        #expect(throws: reason) { try Money(decimalString: input, currency: .nok) }
    }

    @Test("decimal string round-trips for every exponent", arguments: [Currency.jpy, .nok, .kwd])
    func decimalStringRoundTrips(currency: Currency) throws {
        var random = SeededGenerator(seed: 0xD0_0D)
        for _ in 0..<2000 {
            let money = Money(minorUnits: Int64.random(in: .min ... .max, using: &random), currency: currency)
            #expect(try Money(decimalString: money.decimalString, currency: currency) == money)
        }
    }

    /// What the nb formatter shows in an input field must parse back to the same amount.
    @Test func nbAmountsRoundTripThroughTheParser() throws {
        var random = SeededGenerator(seed: 42)
        for currency in [Currency.nok, .jpy, .kwd] {
            for _ in 0..<500 {
                let money = Money(minorUnits: Int64.random(in: 0 ... .max, using: &random), currency: currency)
                let typed = MoneyFormatter(locale: .nb).amountString(from: money)
                #expect(try Money(parsing: typed, currency: currency) == money)
            }
        }
    }

    @Test func descriptionIsUnambiguous() {
        #expect("\(nok(123_450))" == "1234.50 NOK")
        #expect("\(Money(minorUnits: -1, currency: .kwd))" == "-0.001 KWD")
    }

    @Test func moneyErrorDescriptions() {
        #expect(MoneyError.currencyMismatch(.nok, .eur).description == "Cannot combine amounts in NOK and EUR.")
        #expect(MoneyError.overflow.description == "The amount is too large.")
    }
}
