/// A Norwegian mobile phone number, kept in E.164 form (`+4791234567`).
///
/// Norwegian mobile numbers are 8 digits starting with 4 or 9; landlines (2, 3, 5, 6, 7)
/// cannot receive the SMS codes and notifications Drop sends, so they are refused.
public struct NorwegianMobileNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 8-digit national number, e.g. `"91234567"`.
    public let nationalNumber: String

    /// Accepts `91234567`, `912 34 567`, `+47 912 34 567`, `004791234567` and `47 91234567`;
    /// spaces, dashes, dots and parentheses are ignored.
    public init(_ input: String) throws(ValidationIssue) {
        let field = "phone"
        guard var bytes = ASCII.strippingSeparators(input, separators: ["-", ".", "(", ")"]) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "A phone number may contain only digits and a leading +.")
        }
        // An international prefix (+ or 00) must be followed by Norway's country code 47.
        var international = false
        if bytes.first == UInt8(ascii: "+") {
            bytes.removeFirst()
            international = true
        } else if bytes.count > 8, bytes.starts(with: Array("00".utf8)) {
            bytes.removeFirst(2)
            international = true
        }
        guard !bytes.isEmpty, bytes.allSatisfy(ASCII.isDigit) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format,
                                  message: "A phone number may contain only digits and a leading +.")
        }
        if international {
            guard bytes.starts(with: Array("47".utf8)) else {
                throw ValidationIssue(field: field, issue: ValidationIssue.Code.country,
                                      message: "Only Norwegian (+47) mobile numbers are supported.")
            }
            bytes.removeFirst(2)
        } else if bytes.count == 10, bytes.starts(with: Array("47".utf8)) {
            // "47 91234567": the country code written without + or 00.
            bytes.removeFirst(2)
        }
        guard bytes.count == 8 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length,
                                  message: "A Norwegian mobile number has 8 digits.")
        }
        guard bytes[0] == UInt8(ascii: "4") || bytes[0] == UInt8(ascii: "9") else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.notMobile,
                                  message: "Norwegian mobile numbers start with 4 or 9.")
        }
        nationalNumber = ASCII.string(bytes)
    }

    public static func isValid(_ input: String) -> Bool {
        (try? NorwegianMobileNumber(input)) != nil
    }

    /// `+4791234567`, for SMS gateways and storage.
    public var e164: String { "+47" + nationalNumber }

    /// `+47 912 34 567`, the usual Norwegian grouping for mobiles.
    public var formatted: String {
        let d = Array(nationalNumber)
        return "+47 " + String(d[0..<3]) + " " + String(d[3..<5]) + " " + String(d[5..<8])
    }

    public var description: String { e164 }

    public static func < (lhs: NorwegianMobileNumber, rhs: NorwegianMobileNumber) -> Bool {
        lhs.nationalNumber < rhs.nationalNumber
    }
}

extension NorwegianMobileNumber: ValidatedIdentifier {
    /// Encoded in E.164 form, `"+4791234567"`.
    public var canonical: String { e164 }
}
