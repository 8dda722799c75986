/// Why a typed or received amount string could not be read as `Money`.
public enum MoneyParsingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing but spaces.
    case empty
    /// A minus sign: amounts people type are never negative.
    case negative
    /// Something other than digits, a decimal separator or a space, e.g. a letter.
    case invalidCharacter(Character)
    /// Spaces that do not split the whole-number part into groups of three, or sit after the decimal separator.
    case misplacedGroupSeparator
    /// More than one `.` or `,`.
    case multipleDecimalSeparators
    /// No digits before, or none after, the decimal separator.
    case missingDigits
    /// More decimals than the currency has minor units, e.g. `10,005` kr.
    case tooManyFractionDigits(allowed: Int)
    /// Does not fit in 64-bit minor units.
    case tooLarge

    public var description: String {
        switch self {
        case .empty: "Enter an amount."
        case .negative: "The amount cannot be negative."
        case let .invalidCharacter(character): "The amount contains an unexpected character “\(character)”."
        case .misplacedGroupSeparator: "Spaces may only separate groups of three digits."
        case .multipleDecimalSeparators: "The amount has more than one decimal separator."
        case .missingDigits: "The amount is missing digits around the decimal separator."
        case let .tooManyFractionDigits(allowed) where allowed == 0: "This currency has no decimals."
        case let .tooManyFractionDigits(allowed): "Use at most \(allowed) decimals."
        case .tooLarge: "The amount is too large."
        }
    }

    /// The same reason in the API's error-detail shape.
    /// Issue codes: `required`, `negative`, `precision`, `range`, otherwise `format`.
    public func validationIssue(field: String? = "amount") -> ValidationIssue {
        let issue = switch self {
        case .empty: "required"
        case .negative: "negative"
        case .tooManyFractionDigits: "precision"
        case .tooLarge: "range"
        case .invalidCharacter, .misplacedGroupSeparator, .multipleDecimalSeparators, .missingDigits: ValidationIssue.Code.format
        }
        return ValidationIssue(field: field, issue: issue, message: description)
    }
}
