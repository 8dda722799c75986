import Foundation

/// Makes free text fit a payment message field: the rail's character set and the field's length.
enum PayoutText {
    /// SEPA: transliterated into the EPC Latin set, no leading/trailing `/` or `//`, at most
    /// `maxLength` characters, never empty (`.` stands in for a name with nothing Latin in it).
    static func sepa(_ text: String, maxLength: Int) -> String {
        var result = SEPACharacterSet.transliterate(text)
        while result.contains("//") { result = result.replacingOccurrences(of: "//", with: "/") }
        result = trimmed(result)
        if result.unicodeScalars.count > maxLength { result = prefix(result, scalars: maxLength) }
        result = trimmed(result)
        return result.isEmpty ? "." : result
    }

    /// Cross-border: transliterated into the CBPR+ Latin set (`CBPRCharacterSet`, "Wójcik" →
    /// "Wojcik"), control characters and line breaks as spaces, spaces collapsed, no leading/trailing
    /// `/` or `//`, at most `maxLength` characters, never empty. XML escaping happens in the writer.
    static func swift(_ text: String, maxLength: Int) -> String {
        var spaced = ""
        var lastWasSpace = false
        for character in text {
            let isSpace = character.isWhitespace
                || character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            if isSpace {
                if !lastWasSpace { spaced.append(" ") }
                lastWasSpace = true
            } else {
                spaced.append(character)
                lastWasSpace = false
            }
        }
        var result = CBPRCharacterSet.transliterate(spaced)
        while result.contains("//") { result = result.replacingOccurrences(of: "//", with: "/") }
        result = trimmed(result)
        if result.unicodeScalars.count > maxLength { result = trimmed(prefix(result, scalars: maxLength)) }
        return result.isEmpty ? "." : result
    }

    static func fitted(_ text: String, rail: Rail, maxLength: Int) -> String {
        switch rail {
        case .sepa: sepa(text, maxLength: maxLength)
        case .swift: swift(text, maxLength: maxLength)
        }
    }

    /// Why `text` can't go into a field of `maxLength` on `rail` without being cut, or nil when it fits.
    /// Lengths are code points, as the partner's schema counts them (a few letters with hundreds
    /// of combining marks are a few `Character`s but hundreds of code points).
    static func problem(_ text: String, rail: Rail, maxLength: Int) -> String? {
        // As the writer would write it (SEPA transliterated, control characters gone), uncut.
        let written = fitted(text, rail: rail, maxLength: .max)
        return written.unicodeScalars.count > maxLength ? "longer than \(maxLength) code points" : nil
    }

    /// Whether `text` can go on `rail` without losing a letter: every letter is in the rail's Latin
    /// set or has a Latin writing there ("Müller", "Nguyễn"), and at least one letter or digit is
    /// left. "Олена", "李" and "☃" have none: written, they would be dots the partner refuses or
    /// the recipient's bank can't match.
    static func isWritable(_ text: String, rail: Rail) -> Bool {
        // Control characters are written as spaces (and refused from people at the API anyway).
        var visible = ""
        visible.unicodeScalars.append(contentsOf: text.unicodeScalars.filter { $0.properties.generalCategory != .control })
        let canWrite = switch rail {
        case .sepa: SEPACharacterSet.canTransliterate(visible)
        case .swift: CBPRCharacterSet.canTransliterate(visible)
        }
        return canWrite && fitted(text, rail: rail, maxLength: .max).utf8.contains(where: ASCII.isAlphanumeric)
    }

    /// The longest whole-character prefix of `text` with at most `scalars` code points.
    private static func prefix(_ text: String, scalars limit: Int) -> String {
        text.prefix(codePoints: limit)
    }

    /// Without spaces and `/` at either end.
    private static func trimmed(_ text: String) -> String {
        var view = Substring(text)
        while let first = view.first, first == " " || first == "/" { view.removeFirst() }
        while let last = view.last, last == " " || last == "/" { view.removeLast() }
        return String(view)
    }
}

/// ISO 8601 instants as ISO 20022 `ISODateTime`, computed without `DateFormatter` so the
/// output is identical on every platform.
enum ISODateTimeText {
    /// `YYYY-MM-DDThh:mm:ssZ` in UTC, fractions of a second dropped.
    static func utc(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let day = (try? CalendarDate(daysSinceEpoch: days))?.iso ?? "1970-01-01"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(day)T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (no Foundation needed for one call).
    public func trimmingSurroundingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
