import Testing
@testable import DropCore

@Suite("MoneyFormatter")
struct MoneyFormatterTests {
    private static let nbsp = "\u{00A0}"
    private static let minus = "\u{2212}"

    @Test("nb", arguments: [
        (Int64(123_450), Currency.nok, "1\(nbsp)234,50\(nbsp)kr"),
        (0, .nok, "0,00\(nbsp)kr"),
        (5, .nok, "0,05\(nbsp)kr"),
        (99_999, .nok, "999,99\(nbsp)kr"),
        (100_000, .nok, "1\(nbsp)000,00\(nbsp)kr"),
        (100_000_000, .nok, "1\(nbsp)000\(nbsp)000,00\(nbsp)kr"),
        (-123_450, .nok, "\(minus)1\(nbsp)234,50\(nbsp)kr"),
        (-5, .nok, "\(minus)0,05\(nbsp)kr"),
        (123_450, .eur, "1\(nbsp)234,50\(nbsp)EUR"),
        (1500, .jpy, "1\(nbsp)500\(nbsp)JPY"),
        (999, .jpy, "999\(nbsp)JPY"),
        (1234, .kwd, "1,234\(nbsp)KWD"),
        (1_234_567, .kwd, "1\(nbsp)234,567\(nbsp)KWD"),
        (.min, .nok, "\(minus)92\(nbsp)233\(nbsp)720\(nbsp)368\(nbsp)547\(nbsp)758,08\(nbsp)kr"),
    ])
    func norwegian(minor: Int64, currency: Currency, expected: String) {
        let money = Money(minorUnits: minor, currency: currency)
        #expect(MoneyFormatter(locale: .nb).string(from: money) == expected)
        #expect(money.formatted(for: .nb) == expected)
        #expect(!expected.contains(" "), "nb output uses no-break spaces only")
    }

    @Test("en", arguments: [
        (Int64(123_450), Currency.nok, "NOK 1,234.50"),
        (123_450, .eur, "EUR 1,234.50"),
        (0, .nok, "NOK 0.00"),
        (99_999, .usd, "USD 999.99"),
        (100_000_000, .gbp, "GBP 1,000,000.00"),
        (-123_450, .nok, "-NOK 1,234.50"),
        (1500, .jpy, "JPY 1,500"),
        (-1, .jpy, "-JPY 1"),
        (1234, .kwd, "KWD 1.234"),
        (.max, .nok, "NOK 92,233,720,368,547,758.07"),
    ])
    func english(minor: Int64, currency: Currency, expected: String) {
        let money = Money(minorUnits: minor, currency: currency)
        #expect(MoneyFormatter(locale: .en).string(from: money) == expected)
        #expect(money.formatted(for: .en) == expected)
    }

    /// Polish groups with a no-break space, writes a decimal comma and puts the code after the number.
    @Test("pl", arguments: [
        (Int64(123_450), Currency.nok, "1\u{00A0}234,50\u{00A0}NOK"),
        (123_450, Currency(rawValue: "PLN")!, "1\u{00A0}234,50\u{00A0}PLN"),
        (0, .eur, "0,00\u{00A0}EUR"),
        (-500, .nok, "-5,00\u{00A0}NOK"),
        (1500, .jpy, "1\u{00A0}500\u{00A0}JPY"),
    ])
    func polish(minor: Int64, currency: Currency, expected: String) {
        let money = Money(minorUnits: minor, currency: currency)
        #expect(money.formatted(for: .pl) == expected)
        #expect(!expected.contains(" "), "pl output uses no-break spaces only")
    }

    @Test func amountWithoutCurrency() {
        let money = Money(minorUnits: -123_450, currency: .nok)
        #expect(MoneyFormatter(locale: .nb).amountString(from: money) == "\(Self.minus)1\(Self.nbsp)234,50")
        #expect(MoneyFormatter(locale: .en).amountString(from: money) == "-1,234.50")
        #expect(MoneyFormatter(locale: .en).amountString(from: Money(minorUnits: 123, currency: .jpy)) == "123")
    }

    @Test func localesAreNamedByLanguageTag() {
        #expect(DisplayLocale(rawValue: "nb") == .nb)
        #expect(DisplayLocale(rawValue: "en") == .en)
        #expect(DisplayLocale(rawValue: "nn") == nil)
    }
}
