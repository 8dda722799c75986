/// A piece of HTML markup. Building pages from `HTML` makes escaping the default: text put into
/// an `HTML` string literal by interpolation is escaped, `HTML` values go in as they are, and raw
/// markup from a `String` comes in only through `HTML(trustedMarkup:)`, which is easy to find.
public struct HTML: Sendable, Equatable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup, ready to send.
    public let description: String

    /// Markup written in the source code; a literal is the programmer's own markup, never user input.
    public init(stringLiteral markup: String) {
        description = markup
    }

    public init(stringInterpolation: StringInterpolation) {
        description = stringInterpolation.markup
    }

    /// Markup that did not come from a literal in the code. Every use says why its input is safe.
    public init(trustedMarkup markup: String) {
        description = markup
    }

    /// Plain text as markup: escaped.
    public init(text: String) {
        description = HTML.escape(text)
    }

    /// Nothing; what an absent optional part renders as.
    public static let empty: HTML = ""

    public var isEmpty: Bool { description.isEmpty }

    public struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) {
            markup += literal
        }

        /// Markup (including literals in an interpolation, such as a ternary's `""` or
        /// `" selected"`) goes in unchanged.
        public mutating func appendInterpolation(_ html: HTML) {
            markup += html.description
        }

        public mutating func appendInterpolation(_ html: HTML?) {
            markup += html?.description ?? ""
        }

        public mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { markup += part.description }
        }

        // Disfavoured so that a string literal in an interpolation is read as markup, while any
        // String, Substring, number or other value is escaped.
        @_disfavoredOverload
        public mutating func appendInterpolation<Value: CustomStringConvertible>(_ value: Value) {
            markup += HTML.escape(value.description)
        }
    }

    /// Text made safe for an element's content and for a quoted attribute value.
    /// The one escaper of the web layer: everything that needs escaped text as a `String` calls it.
    public static func escape(_ text: String) -> String {
        // The five characters are ASCII, so UTF-8 bytes can be searched and replaced one by one
        // (no other character's encoding contains these bytes). Most text has none of them and is
        // returned as it is, without a copy.
        let utf8 = text.utf8
        guard utf8.contains(where: { escaped($0) != nil }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            if let entity = escaped(byte) { entity.withUTF8Buffer { out.append(contentsOf: $0) } } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func escaped(_ byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }

    /// A URL for `href`, `src` or `action`, escaped, or `#` unless it is http(s) or relative to this
    /// site: a stored link must never become `javascript:` or `data:`.
    public static func url(_ text: String) -> HTML {
        HTML(text: isSafeURL(text) ? text : "#")
    }

    static func isSafeURL(_ text: String) -> Bool {
        // Browsers ignore tabs and newlines inside a scheme and leading spaces or control characters.
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value > 0x20 && $0 != "\u{7F}" }))
        let lowered = cleaned.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") { return true }
        // `//host` reaches another site and `\` is read as `/`, so only paths, queries and fragments pass.
        if lowered.hasPrefix("//") || lowered.hasPrefix("/\\") || lowered.contains("\\") { return false }
        guard let first = lowered.first else { return true }
        if first == "/" || first == "?" || first == "#" { return true }
        // A relative path is safe as long as no scheme comes before its first `/`, `?` or `#`.
        let beforePath = lowered.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !beforePath.contains(":")
    }
}

extension Sequence where Element == HTML {
    /// The parts one after another, with `separator` between them.
    public func joined(separator: HTML = "") -> HTML {
        var markup = HTML.StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        for (index, part) in enumerated() {
            if index > 0 { markup.appendInterpolation(separator) }
            markup.appendInterpolation(part)
        }
        return HTML(stringInterpolation: markup)
    }
}

extension HTML {
    public static func + (lhs: HTML, rhs: HTML) -> HTML { "\(lhs)\(rhs)" }

    public static func += (lhs: inout HTML, rhs: HTML) { lhs = lhs + rhs }
}
