/// A small writer for the element-only XML of ISO 20022 messages: elements, attributes and text,
/// indented two spaces per level, every value escaped.
///
/// Text and attribute values escape `& < > " '`; characters XML 1.0 cannot carry at all
/// (control characters other than tab, LF and CR, and U+FFFE/U+FFFF) are dropped, so no input
/// can break the document's structure.
public struct XMLWriter: Sendable {
    public private(set) var output: String
    private var openElements: [String] = []

    /// Starts a document with the XML declaration.
    public init(declaration: Bool = true) {
        output = declaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
    }

    /// Opens `<name attr="…">` on its own line; close it with `close()`.
    public mutating func open(_ name: String, attributes: [(String, String)] = []) {
        output += indentation + "<" + name + Self.attributeText(attributes) + ">\n"
        openElements.append(name)
    }

    /// Closes the innermost open element.
    public mutating func close() {
        guard let name = openElements.popLast() else { return }
        output += indentation + "</" + name + ">\n"
    }

    /// `<name attr="…">text</name>` on one line.
    public mutating func element(_ name: String, _ text: String, attributes: [(String, String)] = []) {
        output += indentation + "<" + name + Self.attributeText(attributes) + ">" + Self.escaped(text) + "</" + name + ">\n"
    }

    /// `<name>text</name>` when `text` is non-nil.
    public mutating func element(_ name: String, ifPresent text: String?) {
        if let text { element(name, text) }
    }

    /// Opens `name`, runs `body`, closes it.
    public mutating func group(_ name: String, attributes: [(String, String)] = [], _ body: (inout XMLWriter) -> Void) {
        open(name, attributes: attributes)
        body(&self)
        close()
    }

    /// The finished document; closes anything still open.
    public mutating func finish() -> String {
        while !openElements.isEmpty { close() }
        return output
    }

    private var indentation: String { String(repeating: "  ", count: openElements.count) }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escaped($0.1, inAttribute: true))\"" }.joined()
    }

    /// `text` safe for element content and double- or single-quoted attribute values. A carriage
    /// return is written as a reference, since a reader turns a raw one into a line feed; in an
    /// attribute value tab and line feed are too, since a reader turns raw ones into spaces.
    public static func escaped(_ text: String, inAttribute: Bool = false) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\r": result += "&#13;"
            case "\t" where inAttribute: result += "&#9;"
            case "\n" where inAttribute: result += "&#10;"
            default:
                if isAllowedInXML(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above.
    public static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
