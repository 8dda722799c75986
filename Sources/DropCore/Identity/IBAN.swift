/// An International Bank Account Number (ISO 13616), validated for the countries Drop can pay to.
///
/// Stored in electronic form (no spaces, uppercase). A Norwegian IBAN must also carry a valid
/// kontonummer: an IBAN generated from a mistyped account number has correct mod-97 digits,
/// and only the account's own mod-11 check exposes it.
public struct IBAN: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// E.g. `"NO9386011117947"`: what goes on the wire (NextGenPSD2, ISO 20022).
    public let electronic: String
    public let countryCode: CountryCode

    /// Parses an IBAN as typed or pasted: spaces anywhere, any letter case.
    public init(_ input: String) throws(ValidationIssue) {
        let field = "iban"
        guard let stripped = ASCII.strippingSeparators(input, separators: []), stripped.allSatisfy(ASCII.isAlphanumeric) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "An IBAN may contain only letters and digits.")
        }
        let bytes = stripped.map(ASCII.uppercased)
        guard bytes.count >= 5, ASCII.isUppercaseLetter(bytes[0]), ASCII.isUppercaseLetter(bytes[1]),
              ASCII.isDigit(bytes[2]), ASCII.isDigit(bytes[3]) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "An IBAN starts with a two-letter country code and two check digits.")
        }
        let countryText = ASCII.string(bytes[0..<2])
        guard let country = CountryCode(rawValue: countryText), let expected = Self.lengths[countryText] else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.country,
                                  message: "IBANs from \(countryText) are not supported.")
        }
        guard bytes.count == expected else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length,
                                  message: "An IBAN from \(countryText) has \(expected) characters, not \(bytes.count).")
        }
        // Check digits 00, 01 and 99 are never issued, though 01 ≡ 98 and 99 ≡ 02 pass mod 97.
        let check = Int(bytes[2] - 0x30) * 10 + Int(bytes[3] - 0x30)
        guard (2...98).contains(check), Self.mod97(bytes[4...] + bytes[0..<4]) == 1 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.checksum,
                                  message: "The IBAN's check digits do not match; please check it.")
        }
        if country == .norway {
            let bban = bytes[4...]
            guard bban.allSatisfy(ASCII.isDigit) else {
                throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                      message: "A Norwegian IBAN contains an 11-digit account number.")
            }
            guard NorwegianAccountNumber.checkDigit(for: bban.dropLast().map { $0 - 0x30 }) == bban.last.map({ $0 - 0x30 }) else {
                throw ValidationIssue(field: field, issue: ValidationIssue.Code.checksum,
                                      message: "The account number inside the IBAN has a wrong check digit.")
            }
        }
        self.electronic = ASCII.string(bytes)
        self.countryCode = country
    }

    /// An IBAN built from parts already known to be valid (a checked Norwegian account number).
    init(country: CountryCode, validBBAN bban: String) {
        let digits = Self.computeCheckDigits(country: Array(country.rawValue.utf8), bban: Array(bban.utf8))
        self.electronic = country.rawValue + digits + bban
        self.countryCode = country
    }

    public static func isValid(_ input: String) -> Bool {
        (try? IBAN(input)) != nil
    }

    /// The two check digits, e.g. `"93"`.
    public var checkDigits: String { String(electronic.dropFirst(2).prefix(2)) }

    /// The domestic account part after the check digits, e.g. `"86011117947"`.
    public var bban: String { String(electronic.dropFirst(4)) }

    /// Print form in groups of four: `NO93 8601 1117 947`.
    public var formatted: String {
        var result = ""
        for (index, character) in electronic.enumerated() {
            if index > 0, index % 4 == 0 { result += " " }
            result.append(character)
        }
        return result
    }

    /// The Norwegian account number inside, for NO IBANs.
    public var norwegianAccountNumber: NorwegianAccountNumber? {
        try? NorwegianAccountNumber(iban: self)
    }

    public var description: String { electronic }

    public static func < (lhs: IBAN, rhs: IBAN) -> Bool { lhs.electronic < rhs.electronic }

    // MARK: Building IBANs

    /// The check digits for `bban` in `country`: `98 − (BBAN + country + "00" mod 97)`,
    /// e.g. `("NO", "86011117947")` → `"93"`. Handy for generating test data.
    public static func checkDigits(country: CountryCode, bban: String) throws(ValidationIssue) -> String {
        guard let bytes = ASCII.strippingSeparators(bban, separators: []), !bytes.isEmpty,
              bytes.allSatisfy(ASCII.isAlphanumeric) else {
            throw ValidationIssue(field: "iban", issue: ValidationIssue.Code.format,
                                  message: "A BBAN may contain only letters and digits.")
        }
        return computeCheckDigits(country: Array(country.rawValue.utf8), bban: bytes.map(ASCII.uppercased))
    }

    /// A full IBAN from its country and BBAN, with the check digits computed and every rule checked.
    public static func make(country: CountryCode, bban: String) throws(ValidationIssue) -> IBAN {
        try IBAN(country.rawValue + checkDigits(country: country, bban: bban) + bban)
    }

    /// The IBAN length registered for `country`, nil if Drop does not accept IBANs from there.
    public static func expectedLength(for country: CountryCode) -> Int? { lengths[country.rawValue] }

    /// The countries whose IBANs Drop accepts, sorted.
    public static let supportedCountries: [CountryCode] = lengths.keys.sorted().compactMap(CountryCode.init(rawValue:))

    // MARK: Rules

    private static func computeCheckDigits(country: [UInt8], bban: [UInt8]) -> String {
        let check = 98 - mod97(bban + country + Array("00".utf8))
        return check < 10 ? "0\(check)" : String(check)
    }

    /// The ISO 7064 MOD 97-10 remainder of the characters read as one number, letters counting
    /// A = 10 … Z = 35. Computed digit by digit so no big-number arithmetic is needed.
    private static func mod97(_ characters: some Sequence<UInt8>) -> Int {
        var remainder = 0
        for byte in characters {
            if ASCII.isDigit(byte) {
                remainder = (remainder * 10 + Int(byte - 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(byte - 0x41 + 10)) % 97
            }
        }
        return remainder
    }

    // SWIFT IBAN Registry lengths: the SEPA countries and Drop's IBAN corridors (docs/protocols.md §5).
    static let lengths: [String: Int] = [
        // SEPA: EU
        "AT": 20, "BE": 16, "BG": 22, "HR": 21, "CY": 28, "CZ": 24, "DK": 18, "EE": 20, "FI": 18,
        "FR": 27, "DE": 22, "GR": 27, "HU": 28, "IE": 22, "IT": 27, "LV": 21, "LT": 20, "LU": 20,
        "MT": 31, "NL": 18, "PL": 28, "PT": 25, "RO": 24, "SK": 24, "SI": 19, "ES": 24, "SE": 24,
        // SEPA: EEA, then the other members
        "IS": 26, "LI": 21, "NO": 15,
        "CH": 21, "GB": 22, "MC": 27, "SM": 27, "VA": 22, "AD": 24,
        "AL": 28, "ME": 22, "MD": 24, "MK": 19, "RS": 22, "GI": 23,
        // Corridors outside SEPA that use IBANs
        "PK": 24, "TR": 26, "BA": 20, "UA": 29, "BR": 29, "TN": 24, "EG": 29, "JO": 30, "IQ": 23,
        "SO": 23, "PS": 29, "LB": 28, "AE": 23, "SA": 24, "GE": 22, "XK": 20, "SD": 18, "LY": 25,
        "RU": 33,
    ]
}

extension IBAN: ValidatedIdentifier {
    /// Encoded as the electronic form.
    public var canonical: String { electronic }
}
