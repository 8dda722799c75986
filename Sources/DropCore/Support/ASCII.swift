/// Byte-level helpers for identifiers, which are plain ASCII by definition.
///
/// `Character.isNumber` and friends accept Arabic-Indic and other non-ASCII digits,
/// which must never slip into an account number, so identifier code uses these instead.
enum ASCII {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isUppercaseLetter(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    static func isLetter(_ byte: UInt8) -> Bool { isUppercaseLetter(byte) || isLowercaseLetter(byte) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }

    static func uppercased(_ byte: UInt8) -> UInt8 { isLowercaseLetter(byte) ? byte - 0x20 : byte }

    /// Whether the scalar is a space someone may type or paste between digit groups:
    /// space, tab, no-break space, narrow no-break space, thin space, figure space.
    static func isGroupingSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0xA0, 0x202F, 0x2009, 0x2007: true
        default: false
        }
    }

    /// Removes separators people type inside identifiers and returns the remaining bytes,
    /// or nil if anything other than ASCII is left.
    static func strippingSeparators(_ input: String, separators: Set<Unicode.Scalar>) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.utf8.count)
        for scalar in input.unicodeScalars {
            if isGroupingSpace(scalar) || separators.contains(scalar) { continue }
            guard scalar.isASCII else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    static func string(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: Array(bytes), as: UTF8.self)
    }
}
