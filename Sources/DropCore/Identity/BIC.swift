/// A Business Identifier Code (ISO 9362, "SWIFT code"): 8 or 11 characters.
///
/// `DNBANOKK` / `DNBANOKKXXX`: institution `DNBA`, country `NO`, location `KK`, branch `XXX`.
/// Validated with the pain.001.001.09 pattern `[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?`
/// plus a real country code. The 8- and 11-character forms of one head office stay distinct
/// values as typed; compare `bic11` when that matters.
public struct BIC: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The code in uppercase without spaces, 8 or 11 characters.
    public let value: String
    public let countryCode: CountryCode

    /// Parses a BIC as typed: spaces ignored, any letter case.
    public init(_ input: String) throws(ValidationIssue) {
        let field = "bic"
        guard let stripped = ASCII.strippingSeparators(input, separators: []), stripped.allSatisfy(ASCII.isAlphanumeric) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "A BIC may contain only letters and digits.")
        }
        let bytes = stripped.map(ASCII.uppercased)
        guard bytes.count == 8 || bytes.count == 11 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length,
                                  message: "A BIC has 8 or 11 characters.")
        }
        guard ASCII.isUppercaseLetter(bytes[4]), ASCII.isUppercaseLetter(bytes[5]) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "Characters 5 and 6 of a BIC are a country code.")
        }
        guard let country = CountryCode(rawValue: ASCII.string(bytes[4..<6])) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.country,
                                  message: "The BIC's country code is not a known ISO 3166 country.")
        }
        self.value = ASCII.string(bytes)
        self.countryCode = country
    }

    public static func isValid(_ input: String) -> Bool {
        (try? BIC(input)) != nil
    }

    /// Characters 1–4, the bank (letters, or since 2014 also digits).
    public var institutionCode: String { String(value.prefix(4)) }

    /// Characters 7–8, the location.
    public var locationCode: String { String(value.dropFirst(6).prefix(2)) }

    /// Characters 9–11, nil for an 8-character BIC. `XXX` (or nil) is the head office.
    public var branchCode: String? { value.count == 11 ? String(value.suffix(3)) : nil }

    public var isHeadOffice: Bool { branchCode == nil || branchCode == "XXX" }

    /// A test-and-training BIC: the location's second character is `0`. Never used for live payments.
    public var isTestBIC: Bool { value.dropFirst(7).first == "0" }

    /// The first 8 characters: the institution's head office address.
    public var bic8: String { String(value.prefix(8)) }

    /// Always 11 characters, `XXX` filled in for a head office.
    public var bic11: String { value.count == 11 ? value : value + "XXX" }

    /// Whether this bank is in the IBAN's country. Deliberately plain equality of country codes:
    /// territories that share a banking system (e.g. Åland using FI) are not special-cased.
    public func matches(iban: IBAN) -> Bool { countryCode == iban.countryCode }

    public var description: String { value }

    public static func < (lhs: BIC, rhs: BIC) -> Bool { lhs.value < rhs.value }
}

extension BIC: ValidatedIdentifier {
    /// Encoded as the code.
    public var canonical: String { value }
}
