/// A merchant's public code: the last path segment of its payment link (`/pay/{code}`).
///
/// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a code read
/// aloud or typed from a sticker survives; the last character is a check character over the
/// first seven (weighted sum mod 31), so a single mistyped character or swapped neighbours are
/// caught before any lookup.
public struct MerchantCode: Hashable, Sendable, CustomStringConvertible {
    /// 31 characters: a prime count makes the weighted check catch every single substitution.
    public static let alphabet: [UInt8] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ".utf8)
    public static let length = 8

    public let value: String

    /// Parses a code as printed or typed (any case, surrounding spaces ignored).
    public init(_ input: String) throws(ValidationIssue) {
        let field = "merchantCode"
        let bytes = Array(input.utf8).filter { $0 != 0x20 }.map(ASCII.uppercased)
        guard bytes.count == Self.length else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length, message: "A merchant code has \(Self.length) characters.")
        }
        var indices: [Int] = []
        for byte in bytes {
            guard let index = Self.alphabet.firstIndex(of: byte) else {
                throw ValidationIssue(field: field, issue: ValidationIssue.Code.format, message: "A merchant code has letters and digits only.")
            }
            indices.append(index)
        }
        guard Self.checkIndex(for: indices.prefix(Self.length - 1)) == indices[Self.length - 1] else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.checksum, message: "The merchant code is mistyped.")
        }
        value = ASCII.string(bytes)
    }

    /// A new random code. Uniqueness is the store's job: it retries on a clash.
    public static func generate(using generator: inout some RandomNumberGenerator) -> MerchantCode {
        var indices = (0..<(length - 1)).map { _ in Int.random(in: 0..<alphabet.count, using: &generator) }
        indices.append(checkIndex(for: indices))
        // Every index is in the alphabet and the check character matches, so this cannot fail.
        return try! MerchantCode(ASCII.string(indices.map { alphabet[$0] }))
    }

    public static func generate() -> MerchantCode {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    public static func isValid(_ input: String) -> Bool { (try? MerchantCode(input)) != nil }

    /// Position-weighted sum mod the (prime) alphabet size: catches one wrong character and
    /// most transpositions of neighbours.
    static func checkIndex(for indices: some Collection<Int>) -> Int {
        var sum = 0
        for (position, index) in indices.enumerated() { sum += (position + 2) * index }
        return sum % alphabet.count
    }

    public var description: String { value }
}
