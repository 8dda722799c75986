import SQLKit

/// Record property names to column names (`userId` → `user_id`), exactly as SQLKit's
/// `.convertFromSnakeCase` maps them, but on ASCII bytes. SQLKit's version asks Unicode for every
/// character's case on every column of every row: profiling `/dashboard` under load showed 14 % of
/// the server's CPU in decoding records, most of it there. Every record decode uses this.
public enum SnakeCaseColumns {
    /// The column for a property name. Words start at an uppercase letter; a run of capitals is one
    /// word, its last capital starting the next word when a lowercase letter follows (`pidSHA256` →
    /// `pid_sHA256`, `URLValue` → `uRL_value`, as SQLKit does); each word's first letter is lowercased.
    public static func column(for key: String) -> String {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty else { return key }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return unicodeColumn(for: key) }
        func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
        func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        var words: [Range<Int>] = []
        var wordStart = 0
        var search = 1
        while let upper = bytes[search...].firstIndex(where: isUpper) {
            words.append(wordStart..<upper)
            wordStart = upper
            guard let lower = bytes[upper...].firstIndex(where: isLower) else { break }
            search = lower
            if lower != upper + 1 {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
        }
        words.append(wordStart..<bytes.count)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + words.count)
        for (index, word) in words.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "_")) }
            for position in word {
                let byte = bytes[position]
                out.append(position == word.lowerBound && isUpper(byte) ? byte + 0x20 : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The same on characters, for a name that isn't ASCII (none of Drop's are).
    static func unicodeColumn(for key: String) -> String {
        let characters = Array(key)
        var words: [Range<Int>] = []
        var wordStart = 0
        var search = 1
        while let upper = characters[search...].firstIndex(where: \.isUppercase) {
            words.append(wordStart..<upper)
            wordStart = upper
            guard let lower = characters[upper...].firstIndex(where: \.isLowercase) else { break }
            search = lower
            if lower != upper + 1 {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
        }
        words.append(wordStart..<characters.count)
        return words.map { word -> String in
            guard let first = word.first else { return "" }
            return characters[first].lowercased() + String(characters[(first + 1)..<word.upperBound])
        }.joined(separator: "_")
    }
}

extension SQLRowDecoder.KeyDecodingStrategy {
    /// `.convertFromSnakeCase`'s mapping, computed on ASCII bytes (`SnakeCaseColumns`).
    public static let snakeCaseColumns = SQLRowDecoder.KeyDecodingStrategy.custom { path in
        SomeCodingKey(stringValue: SnakeCaseColumns.column(for: path.last?.stringValue ?? ""))
    }
}
