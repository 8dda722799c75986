/// Why a money calculation could not produce an exact answer.
///
/// Arithmetic on amounts reports these instead of trapping: an overflow in a payment
/// must turn into a refused request, never a crashed server.
public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The two amounts are in different currencies; convert one first.
    case currencyMismatch(Currency, Currency)
    /// The result does not fit in 64-bit minor units.
    case overflow
    /// A division by zero was asked for.
    case divisionByZero

    public var description: String {
        switch self {
        case let .currencyMismatch(lhs, rhs): "Cannot combine amounts in \(lhs) and \(rhs)."
        case .overflow: "The amount is too large."
        case .divisionByZero: "Division by zero."
        }
    }
}
