/// A Norwegian organisation number (organisasjonsnummer) from Brønnøysundregistrene: 9 digits.
///
/// Merchants register with it. Public information, so it prints and encodes as itself.
public struct OrganisationNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The canonical 9 digits, e.g. `"995525828"`.
    public let digits: String

    /// Parses `995525828`, `995 525 828`, and the VAT form `NO 995 525 828 MVA` (any case).
    public init(_ input: String) throws(ValidationIssue) {
        let field = "organisationNumber"
        guard var bytes = ASCII.strippingSeparators(input, separators: [".", "-"]) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "An organisation number may contain only digits.")
        }
        bytes = bytes.map(ASCII.uppercased)
        // The VAT register form wraps the number in "NO" … "MVA".
        if bytes.starts(with: Array("NO".utf8)) { bytes.removeFirst(2) }
        if bytes.count >= 3, bytes.suffix(3).elementsEqual("MVA".utf8) { bytes.removeLast(3) }
        guard bytes.allSatisfy(ASCII.isDigit) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "An organisation number may contain only digits.")
        }
        guard bytes.count == 9 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length,
                                  message: "An organisation number has 9 digits.")
        }
        let values = bytes.map { $0 - 0x30 }
        guard Self.checkDigit(for: values[0..<8]) == values[8] else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.checksum,
                                  message: "The check digit does not match; please check the number.")
        }
        digits = ASCII.string(bytes)
    }

    public static func isValid(_ input: String) -> Bool {
        (try? OrganisationNumber(input)) != nil
    }

    /// `995 525 828`, as Brønnøysundregistrene prints it.
    public var formatted: String {
        let d = Array(digits)
        return String(d[0..<3]) + " " + String(d[3..<6]) + " " + String(d[6..<9])
    }

    /// `NO995525828MVA`, the form on invoices and in the VAT register.
    public var vatNumber: String { "NO\(digits)MVA" }

    public var description: String { digits }

    public static func < (lhs: OrganisationNumber, rhs: OrganisationNumber) -> Bool { lhs.digits < rhs.digits }

    /// The mod-11 check digit for an 8-digit body (digit values 0–9), nil if none exists.
    public static func checkDigit(for body: some Collection<UInt8>) -> UInt8? {
        guard body.count == 8 else { return nil }
        return Mod11.checkDigit(for: body, weights: [3, 2, 7, 6, 5, 4, 3, 2])
    }
}

extension OrganisationNumber: ValidatedIdentifier {
    /// Encoded as the 9 digits.
    public var canonical: String { digits }
}
