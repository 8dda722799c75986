/// The Latin character set cross-border (SWIFT) payments carry (docs/protocols.md §6). CBPR+, the
/// SWIFT usage rules every cross-border ISO 20022 payment travels under, limits text to the FIN "X"
/// set (the SEPA set: `a–z A–Z 0–9 / - ? : ( ) . , ' +` and space) and allows in names, postal
/// addresses and remittance information also `! # $ % & * = ^ _ ` { | } ~ " ; < > @ [ \ ]`.
/// Accented letters and other scripts are not in it: a partner refuses the file (`FF01`) or a bank
/// on the way turns them into dots, and the recipient's bank may then not recognise the name.
public enum CBPRCharacterSet {
    /// The signs CBPR+ allows in names, addresses and remittance information beyond the FIN X set.
    static let extraSigns: Set<Unicode.Scalar> = [
        "!", "#", "$", "%", "&", "*", "=", "^", "_", "`", "{", "|", "}", "~", "\"", ";", "<", ">", "@", "[", "\\", "]",
    ]

    /// Whether one scalar is in the set.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        SEPACharacterSet.isAllowed(scalar) || extraSigns.contains(scalar)
    }

    /// Whether every character of `text` is allowed.
    public static func isValid(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isAllowed)
    }

    /// `text` rewritten into the set as `SEPACharacterSet` does ("Zofia Wójcik" → "Zofia Wojcik",
    /// "Nguyễn Văn" → "Nguyen Van"), keeping the extra signs ("Ali & Sons" stays).
    public static func transliterate(_ text: String) -> String {
        SEPACharacterSet.transliterate(text, keeping: isAllowed)
    }

    /// Whether `text` can be written in the set without losing a letter. "Олена" and "李" cannot.
    public static func canTransliterate(_ text: String) -> Bool {
        SEPACharacterSet.canTransliterate(text, keeping: isAllowed)
    }
}
