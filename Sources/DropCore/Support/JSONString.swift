/// Text as the inside of a JSON string, escaped the way Foundation's `JSONEncoder` escapes it with
/// `.withoutEscapingSlashes`: `"` and `\` with a backslash, the control characters that have one as
/// `\b \f \n \r \t`, the others as `\u00xx`, and everything else, non-ASCII included, as its UTF-8.
///
/// For JSON Drop writes by hand where a crowd makes a lot of it: the API's busiest answers
/// (`JSONWriter`), the key lists of reads sent together (`BatchedRead`) and the log lines
/// (`JSONLogHandler`).
public enum JSONString {
    /// Hands `write` the escaped form of `utf8`, in pieces: runs of plain bytes and escapes.
    public static func escape(_ utf8: UnsafeBufferPointer<UInt8>, _ write: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { escape in
            escape[0] = UInt8(ascii: "\\")
            var plainFrom = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard isEscaped(byte) else { continue }
                write(UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                plainFrom = index + 1
                var length = 2
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape[1] = byte
                case 0x08: escape[1] = UInt8(ascii: "b")
                case 0x0C: escape[1] = UInt8(ascii: "f")
                case 0x0A: escape[1] = UInt8(ascii: "n")
                case 0x0D: escape[1] = UInt8(ascii: "r")
                case 0x09: escape[1] = UInt8(ascii: "t")
                default:
                    escape[1] = UInt8(ascii: "u")
                    escape[2] = UInt8(ascii: "0")
                    escape[3] = UInt8(ascii: "0")
                    escape[4] = hexDigit(byte >> 4)
                    escape[5] = hexDigit(byte & 0x0F)
                    length = 6
                }
                write(UnsafeBufferPointer(rebasing: escape[0..<length]))
            }
            write(UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
    }

    /// Whether `utf8` is written as it is, nothing in it escaped: most ids, codes and names.
    public static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        !utf8.contains(where: isEscaped)
    }

    /// Control characters, `"` and `\` are escaped; every other byte is written as it is.
    private static func isEscaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// `strings` as a JSON array of strings: `["a","b\"c"]`.
    public static func array(_ strings: [String]) -> String {
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(2 + strings.reduce(0) { $0 + $1.utf8.count + 3 })
        for (index, string) in strings.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            var string = string
            string.withUTF8 { escape($0) { json.append(contentsOf: $0) } }
            json.append(UInt8(ascii: "\""))
        }
        json.append(UInt8(ascii: "]"))
        return String(decoding: json, as: UTF8.self)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
