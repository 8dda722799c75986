/// The languages Drop shows amounts in.
public enum DisplayLocale: String, Hashable, Sendable, Codable, CaseIterable {
    /// Norwegian bokmål: `1 234,50 kr`.
    case nb
    /// English: `NOK 1,234.50`. Also Arabic, Somali and Urdu, which Drop writes with Western digits.
    case en
    /// Polish: `1 234,50 NOK`.
    case pl

    /// "," in Norwegian and Polish, "." in English.
    public var decimalSeparator: String { self == .en ? "." : "," }
}

/// Formats amounts for people, identically on every platform.
///
/// Written out by hand instead of using `NumberFormatter`: system locale data differs between
/// Linux, iOS and OS versions (e.g. which space `nb` uses), and screens, receipts and tests
/// must show the same characters everywhere.
public struct MoneyFormatter: Hashable, Sendable {
    public let locale: DisplayLocale

    public init(locale: DisplayLocale) { self.locale = locale }

    static let noBreakSpace = "\u{00A0}"
    static let minusSign = "\u{2212}"

    /// nb: `1 234,50 kr`, `1 234,50 EUR`, `−5,00 kr`; en: `NOK 1,234.50`, `-EUR 5.00`; pl: `1 234,50 NOK`,
    /// `-5,00 EUR`. Spaces in nb and pl output are U+00A0 so amounts never wrap across lines.
    public func string(from money: Money) -> String {
        let number = amountString(from: money, includingSign: false)
        switch locale {
        case .nb:
            let unit = money.currency == .nok ? "kr" : money.currency.code
            return (money.isNegative ? Self.minusSign : "") + number + Self.noBreakSpace + unit
        case .en:
            return (money.isNegative ? "-" : "") + money.currency.code + " " + number
        case .pl:
            return (money.isNegative ? "-" : "") + number + Self.noBreakSpace + money.currency.code
        }
    }

    /// Just the number, with this locale's separators and the sign: nb `−1 234,50`, en `-1,234.50`.
    /// Fits an input field where the currency is shown beside it.
    public func amountString(from money: Money) -> String {
        amountString(from: money, includingSign: true)
    }

    private func amountString(from money: Money, includingSign: Bool) -> String {
        let (groupSeparator, decimalSeparator, minus) = switch locale {
        case .nb: (Self.noBreakSpace, ",", Self.minusSign)
        case .en: (",", ".", "-")
        case .pl: (Self.noBreakSpace, ",", "-")
        }
        let (whole, fraction) = Money.split(money.minorUnits.magnitude, exponent: money.currency.exponent)
        var text = Self.grouped(whole, separator: groupSeparator)
        if let fraction { text += decimalSeparator + fraction }
        return (includingSign && money.isNegative ? minus : "") + text
    }

    /// Thousands grouping in threes from the right.
    private static func grouped(_ value: UInt64, separator: String) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += separator }
            result.append(digit)
        }
        return result
    }
}

extension Money {
    /// Shorthand for `MoneyFormatter(locale:).string(from:)`.
    public func formatted(for locale: DisplayLocale) -> String {
        MoneyFormatter(locale: locale).string(from: self)
    }
}
