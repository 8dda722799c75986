import DropCore
import Foundation

/// An amount as the API sends it: integer minor units (øre, cents) and an ISO 4217 currency.
/// Never a floating-point number, so no amount is ever rounded on the way.
public struct Money: Codable, Sendable, Hashable {
    public let amountMinor: Int64
    public let currency: String

    public init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    /// Minor-unit digits (ISO 4217 exponent): the server's own table (`DropCore.Currency`), so an
    /// amount is never shown or typed with other decimals than Drop pays it with. 2 for a code Drop
    /// does not know.
    public var minorUnitExponent: Int {
        DropCore.Currency(rawValue: currency)?.exponent ?? 2
    }

    /// `1 005,00 NOK`-style text for a view: digits grouped, the decimal separator of `locale`.
    public func formatted(locale: Locale = Locale(identifier: "nb_NO")) -> String {
        let scale = (0..<minorUnitExponent).reduce(Int64(1)) { value, _ in value * 10 }
        let sign = amountMinor < 0 ? "-" : ""
        let magnitude = amountMinor.magnitude
        let major = magnitude / UInt64(scale)
        let minor = magnitude % UInt64(scale)
        let separator = locale.decimalSeparator ?? ","
        let grouping = locale.groupingSeparator ?? " "
        var digits = String(major)
        var grouped = ""
        while digits.count > 3 {
            grouped = grouping + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        guard minorUnitExponent > 0 else { return "\(sign)\(grouped) \(currency)" }
        let fraction = String(minor).leftPadded(to: minorUnitExponent)
        return "\(sign)\(grouped)\(separator)\(fraction) \(currency)"
    }

    /// Reads what a person typed (`1005`, `1 005,50`, `1005.5`) as minor units; nil when it is not an amount.
    public static func parseMinor(_ text: String, exponent: Int = 2) -> Int64? {
        let cleaned = text.filter { !$0.isWhitespace && $0 != "\u{00A0}" }
        guard !cleaned.isEmpty else { return nil }
        let parts = cleaned.replacingOccurrences(of: ",", with: ".").split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber), whole.count <= 15 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= exponent, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let scale = (0..<exponent).reduce(Int64(1)) { value, _ in value * 10 }
        let fractionValue = Int64(String(fraction).rightPadded(to: exponent)) ?? 0
        return (Int64(whole) ?? 0) * scale + fractionValue
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
    fileprivate func rightPadded(to length: Int) -> String {
        count >= length ? self : self + String(repeating: "0", count: length - count)
    }
}
