import Foundation

/// The Latin character set SEPA credit transfers carry (EPC guidelines, docs/protocols.md §6):
/// `a–z A–Z 0–9 / - ? : ( ) . , ' +` and space. Accented letters (æ, ø, å, é, ß …) are not in it.
public enum SEPACharacterSet {
    /// Whether every character of `text` is allowed, with no leading/trailing `/` and no `//`.
    public static func isValid(_ text: String) -> Bool {
        guard text.unicodeScalars.allSatisfy(isAllowed) else { return false }
        return !text.hasPrefix("/") && !text.hasSuffix("/") && !text.contains("//")
    }

    /// Whether one scalar is in the set.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "/", "-", "?", ":", "(", ")", ".", ",", "'", "+", " ": true
        default: false
        }
    }

    /// `text` rewritten into the SEPA set the way the EPC's conversion guidance and Nordic and
    /// German banks write names: "Hans Müller" → "Hans Mueller", "Bjørn Åsen" → "Bjorn Aasen",
    /// "Ærlig Søren" → "AErlig Soren", "Straße" → "Strasse", "José" → "Jose". A two-letter
    /// replacement of a capital is all capitals inside a capitalised word ("MÜLLER" → "MUELLER").
    /// Other letters are mapped to their base letter; anything with no mapping becomes `.`, which
    /// EPC-style converters also use, so the name stays recognisable and never silently shrinks.
    public static func transliterate(_ text: String) -> String {
        transliterate(text, keeping: isAllowed)
    }

    /// Whether `text` can be written in the set without losing a letter: every character is in
    /// it, has a replacement, is an accent on a kept letter, or is whitespace. "李" cannot.
    public static func canTransliterate(_ text: String) -> Bool {
        canTransliterate(text, keeping: isAllowed)
    }

    /// `transliterate` into a set that keeps what `keeps` allows (SEPA's, or CBPR+'s, which keeps more signs).
    static func transliterate(_ text: String, keeping keeps: (Unicode.Scalar) -> Bool) -> String {
        var result = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if keeps(scalar) {
                result.unicodeScalars.append(scalar)
            } else if let replacement = replacement(for: scalar) {
                let shouting = replacement.count > 1 && scalar.properties.isUppercase
                    && [index - 1, index + 1].contains { scalars.indices.contains($0) && scalars[$0].properties.isUppercase }
                result += shouting ? replacement.uppercased() : replacement
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue // a decomposed accent (e + ◌́): the base letter is already kept
            } else if scalar.properties.isWhitespace {
                result += " "
            } else {
                result += "."
            }
        }
        return result
    }

    static func canTransliterate(_ text: String, keeping keeps: (Unicode.Scalar) -> Bool) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            keeps(scalar) || replacement(for: scalar) != nil || scalar.properties.generalCategory == .nonspacingMark
                || scalar.properties.isWhitespace
        }
    }

    /// A letter's replacement: from the table, else the plain letter its canonical decomposition
    /// starts with, which covers Vietnamese ("ễ" → "e", "ư" → "u") and other accented Latin letters.
    private static func replacement(for scalar: Unicode.Scalar) -> String? {
        if let replacement = replacements[scalar] { return replacement }
        guard scalar.value >= 0x80 else { return nil }
        let parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
        guard parts.count > 1, let base = parts.first, base.isASCII, ASCII.isLetter(UInt8(base.value)),
              parts.dropFirst().allSatisfy({ $0.properties.generalCategory == .nonspacingMark }) else { return nil }
        return String(base)
    }

    /// Base-letter replacements for the Latin letters our users' recipients commonly have.
    private static let replacements: [Unicode.Scalar: String] = {
        let groups: [(String, String)] = [
            ("ÀÁÂÃĀĂĄ", "A"), ("àáâãāăą", "a"), ("ÇĆĈĊČ", "C"), ("çćĉċč", "c"), ("ĎĐ", "D"), ("ďđ", "d"),
            ("ÈÉÊËĒĔĖĘĚ", "E"), ("èéêëēĕėęě", "e"), ("ĜĞĠĢ", "G"), ("ĝğġģ", "g"), ("ĤĦ", "H"), ("ĥħ", "h"),
            ("ÌÍÎÏĨĪĬĮİ", "I"), ("ìíîïĩīĭįı", "i"), ("Ĵ", "J"), ("ĵ", "j"), ("Ķ", "K"), ("ķ", "k"),
            ("ĹĻĽĿŁ", "L"), ("ĺļľŀł", "l"), ("ÑŃŅŇ", "N"), ("ñńņň", "n"), ("ÒÓÔÕØŌŎŐ", "O"), ("òóôõøōŏő", "o"),
            ("ŔŖŘ", "R"), ("ŕŗř", "r"), ("ŚŜŞŠȘ", "S"), ("śŝşšș", "s"), ("ŢŤŦȚ", "T"), ("ţťŧț", "t"),
            ("ÙÚÛŨŪŬŮŰŲ", "U"), ("ùúûũūŭůűų", "u"), ("Ŵ", "W"), ("ŵ", "w"), ("ÝŶŸ", "Y"), ("ýÿŷ", "y"),
            ("ŹŻŽ", "Z"), ("źżž", "z"),
        ]
        var table: [Unicode.Scalar: String] = [:]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = base }
        }
        let multi: [(Unicode.Scalar, String)] = [
            // German umlauts and the Danish-Norwegian å as those languages write them without the letter.
            ("Ä", "Ae"), ("ä", "ae"), ("Ö", "Oe"), ("ö", "oe"), ("Ü", "Ue"), ("ü", "ue"), ("Å", "Aa"), ("å", "aa"),
            ("Æ", "Ae"), ("æ", "ae"), ("Œ", "Oe"), ("œ", "oe"), ("ß", "ss"), ("Þ", "Th"), ("þ", "th"),
            ("Ð", "D"), ("ð", "d"), ("&", "+"), ("’", "'"), ("‘", "'"), ("–", "-"), ("—", "-"), ("_", "-"),
        ]
        for (scalar, replacement) in multi { table[scalar] = replacement }
        return table
    }()
}

/// The payee's name as their bank will receive it: exactly what the payment message carries.
public enum PayeeName {
    /// What the pain.001 writer puts in the creditor's `Nm` on `rail` (SEPA: the EPC Latin set; cross-border: CBPR+'s).
    public static func atBank(_ name: String, rail: Rail) -> String {
        PayoutText.fitted(name, rail: rail, maxLength: PayoutInstruction.maximumNameLength(rail))
    }

    /// Whether a name or address line can go on `rail` without losing a letter (`PayoutText.isWritable`).
    public static func isWritable(_ text: String, rail: Rail) -> Bool {
        PayoutText.isWritable(text, rail: rail)
    }
}
