/// A Norwegian national identity number: fødselsnummer, D-number or H-number (11 digits).
///
/// Personal data of the most sensitive kind in Norway: it must never appear in logs. So
/// `description`, `debugDescription`, `dump` and string interpolation all print
/// `NationalIdentityNumber(redacted)`, it is not `Codable`, and the digits are reachable only
/// through `digitsForHashing`, whose name says what it is for (the pepper-HMAC `pid_hash`).
public struct NationalIdentityNumber: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Fødselsnummer, issued at birth or immigration.
        case birthNumber
        /// D-nummer, for people with a temporary connection to Norway: day + 40.
        case dNumber
        /// H-nummer, a health-service auxiliary number: month + 40.
        case hNumber
    }

    public enum Gender: String, Hashable, Sendable, Codable {
        case female, male
    }

    /// The 11 digits as ASCII. Private on purpose: see the type's comment.
    private let digits: String
    public let kind: Kind
    public let birthDate: CalendarDate
    /// From the ninth digit: odd is male, even is female.
    public let gender: Gender

    /// Parses an 11-digit number; spaces, dots and dashes between digits are ignored.
    /// Checks both check digits, then the birth date and its century.
    /// Error messages never contain the number.
    public init(_ input: String) throws(ValidationIssue) {
        let field = "nationalId"
        guard let bytes = ASCII.strippingSeparators(input, separators: [".", "-"]), bytes.allSatisfy(ASCII.isDigit) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "A national identity number may contain only digits.")
        }
        guard bytes.count == 11 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length,
                                  message: "A national identity number has 11 digits.")
        }
        let d = bytes.map { Int($0 - 0x30) }
        let values = d.map(UInt8.init)
        guard Mod11.checkDigit(for: values[0..<9], weights: Self.firstCheckWeights) == values[9],
              Mod11.checkDigit(for: values[0..<10], weights: Self.secondCheckWeights) == values[10] else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.checksum,
                                  message: "The check digits do not match; please check the number.")
        }

        var day = d[0] * 10 + d[1]
        var month = d[2] * 10 + d[3]
        let twoDigitYear = d[4] * 10 + d[5]
        let individual = d[6] * 100 + d[7] * 10 + d[8]

        let kind: Kind
        switch (d[0], d[2]) {
        case (0...3, 0...1):
            kind = .birthNumber
        case (4...7, 0...1):
            kind = .dNumber
            day -= 40
        case (0...3, 4...5):
            kind = .hNumber
            month -= 40
        default:
            // FH-numbers (first digit 8 or 9) carry no birth date; other combinations are not issued.
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.date,
                                  message: "The number does not contain a birth date.")
        }

        guard let century = Self.century(individualNumber: individual, twoDigitYear: twoDigitYear) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.date,
                                  message: "The individual number does not match the birth year.")
        }
        do {
            self.birthDate = try CalendarDate(year: century + twoDigitYear, month: month, day: day)
        } catch {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.date,
                                  message: "The number does not contain a valid birth date.")
        }
        self.digits = ASCII.string(bytes)
        self.kind = kind
        self.gender = d[8] % 2 == 1 ? .male : .female
    }

    /// Whether `input` parses.
    public static func isValid(_ input: String) -> Bool {
        (try? NationalIdentityNumber(input)) != nil
    }

    /// The 11 digits, for computing the keyed hash Drop stores instead of the number,
    /// and for the few places the law requires the number itself (e.g. an STR to Økokrim).
    public var digitsForHashing: String { digits }

    /// Completed years on `date`.
    public func age(on date: CalendarDate) -> Int { birthDate.age(on: date) }

    // MARK: Rules (docs/protocols.md §4, as python-stdnum implements them)

    static let firstCheckWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2]
    static let secondCheckWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]

    /// The century of the birth year, read from the individual number (digits 7–9).
    static func century(individualNumber: Int, twoDigitYear: Int) -> Int? {
        switch individualNumber {
        case 0...499: return 1900
        case 500...749 where twoDigitYear >= 54: return 1800
        case 500...999 where twoDigitYear < 40: return 2000
        case 900...999 where twoDigitYear >= 40: return 1900
        default: return nil
        }
    }
}

extension NationalIdentityNumber: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "NationalIdentityNumber(redacted)" }
    public var debugDescription: String { "NationalIdentityNumber(redacted)" }
    /// Keeps `dump()` and debugger summaries from walking into the private digits.
    public var customMirror: Mirror {
        Mirror(self, children: ["kind": kind], displayStyle: .struct)
    }
}
