/// Text a person types into a field: a message to the payee, a street, a merchant's name.
///
/// Control characters have no place in it: a bank or the payout partner can't show them, they
/// smuggle line breaks into one-line fields, and PostgreSQL refuses NUL in text outright.
public enum FreeText {
    /// A `format` issue on `field` when `text` holds a control character (line breaks and tabs are
    /// allowed where the field takes several lines), or nil when it is fine.
    public static func controlCharacterIssue(_ text: String?, field: String, multiline: Bool = false) -> ValidationIssue? {
        guard let text, text.unicodeScalars.contains(where: { isRefused($0, multiline: multiline) }) else { return nil }
        return ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                               message: multiline ? "This cannot contain control characters." : "This cannot contain line breaks or control characters.")
    }

    private static func isRefused(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        guard scalar.properties.generalCategory == .control else { return false }
        return !(multiline && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
    }
}
