/// Why a `FixedPointRate` could not be made.
public enum FixedPointRateError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case negative
    /// Zero is not a rate; it would also make the inverse undefined.
    case notPositive
    case exponentNotAllowed
    /// More than ten significant fraction digits: storing it would round silently.
    case tooManyFractionDigits
    /// Outside what 10^10-scaled Int64 holds (about 922 million).
    case overflow
    case malformed(String)
    case invalidScale(Int)
    case invalidDivisor(Int64)

    public var description: String {
        switch self {
        case .empty: "empty rate"
        case .negative: "rate is negative"
        case .notPositive: "rate is not positive"
        case .exponentNotAllowed: "exponent notation is not allowed"
        case .tooManyFractionDigits: "more than 10 significant fraction digits"
        case .overflow: "rate out of range"
        case .malformed(let text): "not a plain decimal: \"\(text.prefix(40))\""
        case .invalidScale(let scale): "scale \(scale) is outside 0...10"
        case .invalidDivisor(let divisor): "divisor \(divisor) is not positive"
        }
    }
}
