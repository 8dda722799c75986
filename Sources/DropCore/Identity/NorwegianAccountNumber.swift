/// A Norwegian bank account number (kontonummer): 11 digits `BBBB.CC.AAAAK`.
///
/// The first four digits are the bank's registration number, the last is a mod-11 check digit.
public struct NorwegianAccountNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 11 digits, e.g. `"86011117947"` (the BBAN NextGenPSD2 expects).
    public let digits: String

    /// Parses `86011117947`, `8601.11.17947` or `8601 11 17947`.
    public init(_ input: String) throws(ValidationIssue) {
        let field = "accountNumber"
        guard let bytes = ASCII.strippingSeparators(input, separators: [".", "-"]), bytes.allSatisfy(ASCII.isDigit) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "An account number may contain only digits.")
        }
        guard bytes.count == 11 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length,
                                  message: "A Norwegian account number has 11 digits.")
        }
        let values = bytes.map { $0 - 0x30 }
        guard Self.checkDigit(for: values[0..<10]) == values[10] else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.checksum,
                                  message: "The check digit does not match; please check the account number.")
        }
        digits = ASCII.string(bytes)
    }

    /// The account inside a Norwegian IBAN (`NO93 8601 1117 947` → `8601.11.17947`).
    public init(iban: IBAN) throws(ValidationIssue) {
        guard iban.countryCode == .norway else {
            throw ValidationIssue(field: "iban", issue: ValidationIssue.Code.country,
                                  message: "The IBAN is not a Norwegian account.")
        }
        // A valid NO IBAN has already passed this account's mod-11 check.
        try self.init(iban.bban)
    }

    /// A linked account's Norwegian number: its BBAN, or read from a Norwegian IBAN (a bank may
    /// list an account by its IBAN alone). Nil for neither.
    public static func of(bban: String?, iban: String?) -> NorwegianAccountNumber? {
        if let bban, let number = try? NorwegianAccountNumber(bban) { return number }
        guard let iban, let parsed = try? IBAN(iban), parsed.countryCode == .norway else { return nil }
        return try? NorwegianAccountNumber(iban: parsed)
    }

    public static func isValid(_ input: String) -> Bool {
        (try? NorwegianAccountNumber(input)) != nil
    }

    /// `8601.11.17947`, the way Norwegian banks print it.
    public var formatted: String {
        let d = Array(digits)
        return String(d[0..<4]) + "." + String(d[4..<6]) + "." + String(d[6..<11])
    }

    /// The bank's registration number (first four digits), e.g. `"8601"`.
    public var bankRegistrationNumber: String { String(digits.prefix(4)) }

    /// The same account as an IBAN, `NO` + check digits + the 11 digits.
    public var iban: IBAN {
        // Always valid: right country and length, and the account passed its own check digit.
        IBAN(country: .norway, validBBAN: digits)
    }

    public var description: String { formatted }

    public static func < (lhs: NorwegianAccountNumber, rhs: NorwegianAccountNumber) -> Bool { lhs.digits < rhs.digits }

    /// The mod-11 check digit for a 10-digit body (digit values 0–9), nil if none exists
    /// (banks skip such bodies).
    public static func checkDigit(for body: some Collection<UInt8>) -> UInt8? {
        guard body.count == 10 else { return nil }
        return Mod11.checkDigit(for: body, weights: [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    }
}

extension NorwegianAccountNumber: ValidatedIdentifier {
    /// Encoded as the 11 digits.
    public var canonical: String { digits }
}
