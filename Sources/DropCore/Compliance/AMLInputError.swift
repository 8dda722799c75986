/// Why AML input could not be built. The rules compare NOK minor units directly, so every amount
/// must be NOK (the amount the customer sends, before the fee).
public enum AMLInputError: Error, Sendable, Hashable {
    case notNOK(field: String)
    case negativeAmount(field: String)
}
