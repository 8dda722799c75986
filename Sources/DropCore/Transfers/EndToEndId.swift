/// The ISO 20022 `EndToEndId` that follows a payment to the recipient: ≤ 35 characters `[A-Za-z0-9-]`.
///
/// Made from the transaction's UUID without its hyphens: 32 hex characters, unique, and safe for
/// every bank's charset. (A hyphenated UUID is 36 characters, one too many.)
public struct EndToEndId: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let maximumLength = 35
    public let value: String

    /// From a UUID in its canonical 8-4-4-4-12 hex form, any letter case; uppercased.
    public static func make(from uuid: String) throws(ValidationIssue) -> EndToEndId {
        let bytes = Array(uuid.utf8)
        let hyphens = [8, 13, 18, 23]
        let shape = bytes.count == 36 && bytes.indices.allSatisfy { index in
            hyphens.contains(index) ? bytes[index] == UInt8(ascii: "-") : isHex(bytes[index])
        }
        guard shape else {
            throw ValidationIssue(field: "id", issue: ValidationIssue.Code.format, message: "Not a UUID.")
        }
        return EndToEndId(value: ASCII.string(bytes.filter { $0 != UInt8(ascii: "-") }.map(ASCII.uppercased)))
    }

    /// An end-to-end id as written, e.g. by a test or in a partner's report: 1–35 characters of
    /// `[A-Za-z0-9-]`, kept exactly (no case change).
    public init(_ text: String) throws(ValidationIssue) {
        guard Self.isValid(text) else {
            throw ValidationIssue(field: "endToEndId", issue: ValidationIssue.Code.format,
                                  message: "An end-to-end id is 1 to 35 letters, digits and hyphens.")
        }
        self.value = text
    }

    /// Whether `text` is a usable end-to-end id: 1–35 characters of `[A-Za-z0-9-]`.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...maximumLength).contains(bytes.count)
            && bytes.allSatisfy { ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    public var description: String { value }

    private init(value: String) { self.value = value }

    private static func isHex(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
