extension StringProtocol {
    /// The longest prefix of whole characters with at most `limit` Unicode code points. "At most N
    /// characters" in ISO 20022 and NextGenPSD2 fields counts code points, not the grapheme clusters
    /// `String.count` gives: "👨‍👩‍👧" is one `Character` and five code points.
    public func prefix(codePoints limit: Int) -> String {
        var result = ""
        var used = 0
        for character in self {
            let size = character.unicodeScalars.count
            guard used + size <= limit else { break }
            result.append(character)
            used += size
        }
        return result
    }
}
