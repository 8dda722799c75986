/// The Latin character set SEPA credit transfers carry (EPC guidelines, PROTOCOLS.md §6):
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

    /// `text` rewritten into the SEPA set: "Ærlig Søren" → "AErlig Soren", "Müller & Co" → "Muller + Co".
    /// Letters are mapped to their base letter(s); anything with no mapping becomes `.`, which
    /// EPC-style converters also use, so the name stays recognisable and never silently shrinks.
    public static func transliterate(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isAllowed(scalar) {
                result.unicodeScalars.append(scalar)
            } else if let replacement = replacements[scalar] {
                result += replacement
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

    /// Base-letter replacements for the Latin letters our users' recipients commonly have.
    private static let replacements: [Unicode.Scalar: String] = {
        let groups: [(String, String)] = [
            ("ÀÁÂÃÄÅĀĂĄ", "A"), ("àáâãäåāăą", "a"), ("ÇĆĈĊČ", "C"), ("çćĉċč", "c"), ("ĎĐ", "D"), ("ďđ", "d"),
            ("ÈÉÊËĒĔĖĘĚ", "E"), ("èéêëēĕėęě", "e"), ("ĜĞĠĢ", "G"), ("ĝğġģ", "g"), ("ĤĦ", "H"), ("ĥħ", "h"),
            ("ÌÍÎÏĨĪĬĮİ", "I"), ("ìíîïĩīĭįı", "i"), ("Ĵ", "J"), ("ĵ", "j"), ("Ķ", "K"), ("ķ", "k"),
            ("ĹĻĽĿŁ", "L"), ("ĺļľŀł", "l"), ("ÑŃŅŇ", "N"), ("ñńņň", "n"), ("ÒÓÔÕÖØŌŎŐ", "O"), ("òóôõöøōŏő", "o"),
            ("ŔŖŘ", "R"), ("ŕŗř", "r"), ("ŚŜŞŠȘ", "S"), ("śŝşšș", "s"), ("ŢŤŦȚ", "T"), ("ţťŧț", "t"),
            ("ÙÚÛÜŨŪŬŮŰŲ", "U"), ("ùúûüũūŭůűų", "u"), ("Ŵ", "W"), ("ŵ", "w"), ("ÝŶŸ", "Y"), ("ýÿŷ", "y"),
            ("ŹŻŽ", "Z"), ("źżž", "z"),
        ]
        var table: [Unicode.Scalar: String] = [:]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = base }
        }
        let multi: [(Unicode.Scalar, String)] = [
            ("Æ", "AE"), ("æ", "ae"), ("Œ", "OE"), ("œ", "oe"), ("ß", "ss"), ("Þ", "TH"), ("þ", "th"),
            ("Ð", "D"), ("ð", "d"), ("&", "+"), ("’", "'"), ("‘", "'"), ("–", "-"), ("—", "-"), ("_", "-"),
        ]
        for (scalar, replacement) in multi { table[scalar] = replacement }
        return table
    }()
}
