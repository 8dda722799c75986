/// Why a quote could not be made.
public enum PricingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The NOK amount is under the corridor's minimum.
    case belowMinimum(amount: Money, minimum: Money, maximum: Money)
    /// The NOK amount is over the corridor's maximum.
    case aboveMaximum(amount: Money, minimum: Money, maximum: Money)
    /// Drop does not pay `currency` into `country`.
    case unsupportedCorridor(country: CountryCode, currency: Currency)
    /// An amount or rate is in a different currency than the corridor needs.
    case currencyMismatch(expected: String, actual: String)
    /// The receive amount must be positive.
    case notPositive
    /// The arithmetic does not fit in 64 bits.
    case overflow

    /// The API error code (docs/api.md: 422 `LIMIT_EXCEEDED` outside the amount range).
    public var code: String {
        switch self {
        case .belowMinimum, .aboveMaximum: "LIMIT_EXCEEDED"
        case .unsupportedCorridor: "UNSUPPORTED_CORRIDOR"
        case .currencyMismatch: "CURRENCY_MISMATCH"
        case .notPositive: "VALIDATION_FAILED"
        case .overflow: "AMOUNT_TOO_LARGE"
        }
    }

    public var description: String {
        switch self {
        case let .belowMinimum(amount, minimum, maximum), let .aboveMaximum(amount, minimum, maximum):
            "\(amount) is outside the allowed \(minimum) to \(maximum)."
        case let .unsupportedCorridor(country, currency): "Drop does not send \(currency) to \(country)."
        case let .currencyMismatch(expected, actual): "Expected \(expected), got \(actual)."
        case .notPositive: "The amount must be greater than zero."
        case .overflow: "The amount is too large."
        }
    }
}
