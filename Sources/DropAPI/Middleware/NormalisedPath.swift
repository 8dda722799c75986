/// A request path as the router resolves it, so that a rule for `/v1/auth` also catches
/// `//v1/auth`, `/v1/./auth`, `/x/../v1/auth`, `/v1/%61uth` and `/v1/auth/`.
/// Used for matching rules only; handlers still see the path as sent.
enum NormalisedPath {
    static func of(_ raw: String) -> String {
        isAlreadyNormal(raw) ? raw : normalised(raw)
    }

    static func normalised(_ raw: String) -> String {
        let path = raw.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? raw
        var segments: [String] = []
        for piece in path.split(separator: "/", omittingEmptySubsequences: true) {
            // Decoding may reveal more separators or dots (`%2F`, `%2E%2E`): treat them as the router's peers would.
            for segment in percentDecoded(String(piece)).split(separator: "/", omittingEmptySubsequences: true) {
                switch segment {
                case ".": continue
                case "..": _ = segments.popLast()
                default: segments.append(String(segment))
                }
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// The common case, checked without allocating: no query, escapes, dot segments, repeated or trailing slashes.
    static func isAlreadyNormal(_ raw: String) -> Bool {
        var previous: UInt8 = 0
        var count = 0
        for byte in raw.utf8 {
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "%") { return false }
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return false }
            if byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/") { return false }
            if count == 0 && byte != UInt8(ascii: "/") { return false }
            previous = byte
            count += 1
        }
        return count == 1 || (count > 1 && previous != UInt8(ascii: "/"))
    }

    /// `%XX` → byte; malformed escapes stay as they are.
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
