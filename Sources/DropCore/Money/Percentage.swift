/// A rate in basis points: 1 bp = 0.01 %, so 50 bp = 0.5 %.
///
/// Whole basis points keep fee rates exact integers; a percentage as `Double` would not be.
public struct BasisPoints: Hashable, Sendable, Comparable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public let value: Int64

    /// 10 000 bp = 100 %.
    public static let perWhole: Int64 = 10_000
    public static let zero = BasisPoints(0)

    public init(_ value: Int64) { self.value = value }
    public init(integerLiteral value: Int64) { self.value = value }

    public static func < (lhs: BasisPoints, rhs: BasisPoints) -> Bool { lhs.value < rhs.value }

    /// Encoded as the bare integer, e.g. `50`.
    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// As a percentage with two decimals, e.g. `"0.50 %"`, `"-1.25 %"`.
    public var description: String {
        let (whole, fraction) = Money.split(value.magnitude, exponent: 2)
        return "\(value < 0 ? "-" : "")\(whole).\(fraction ?? "00") %"
    }
}

extension Money {
    /// `bp` of this amount in the same currency, rounded once to the minor unit.
    /// Drop's fee is `percentage(50)` with the default half-up rounding (see docs/flows.md, "Remittance").
    public func percentage(_ bp: BasisPoints, rounding: RoundingRule = .halfUp) throws(MoneyError) -> Money {
        try scaled(by: bp.value, over: BasisPoints.perWhole, rounding: rounding)
    }
}
