import Foundation

extension XMLTree {
    /// One element of a parsed XML document: its local name and namespace, attributes, child
    /// elements and character data. ISO 20022 messages have element-only content, so text is
    /// only kept for leaves; whitespace between child elements is dropped.
    public struct Element: Sendable, Hashable {
        /// The local name, without any prefix, e.g. `"GrpHdr"`.
        public let name: String
        /// The namespace URI the element is in, nil for none.
        public let namespace: String?
        /// Attributes by local name.
        public let attributes: [String: String]
        public internal(set) var children: [Element]
        /// The character data of a leaf, exactly as sent (entities resolved); empty for non-leaves.
        public internal(set) var text: String
        /// Where the element starts, 1-based.
        public let line: Int

        public init(name: String, namespace: String?, attributes: [String: String] = [:], children: [Element] = [], text: String = "", line: Int = 0) {
            self.name = name
            self.namespace = namespace
            self.attributes = attributes
            self.children = children
            self.text = text
            self.line = line
        }

        /// The first child called `name`.
        public func child(_ name: String) -> Element? {
            children.first { $0.name == name }
        }

        /// Every child called `name`, in document order.
        public func children(named name: String) -> [Element] {
            children.filter { $0.name == name }
        }

        /// The element reached by following `path` of child names (first match at each step).
        public func descendant(_ path: String...) -> Element? {
            var node: Element? = self
            for name in path { node = node?.child(name) }
            return node
        }

        /// The text of the element at `path`, with surrounding whitespace removed; nil when absent.
        public func value(_ path: String...) -> String? {
            var node: Element? = self
            for name in path { node = node?.child(name) }
            return node.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }
}

/// Why bytes could not be read as an XML document.
public enum XMLTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not well-formed XML; where the parser gave up and its message.
    case malformed(line: Int, column: Int, reason: String)
    /// A DOCTYPE (and with it entity declarations) is refused outright: no message needs one,
    /// and refusing it closes the door on entity-expansion attacks.
    case doctypeNotAllowed
    /// An element has both child elements and text.
    case mixedContent(element: String, line: Int)
    /// Nested deeper than `XMLTree.maximumDepth`.
    case tooDeep(line: Int)
    /// Not UTF-8 (or declaring another encoding). ISO 20022 messages are UTF-8, and in any other
    /// encoding (UTF-16, UTF-7, …) a DOCTYPE would slip past the byte check.
    case notUTF8
    /// A processing instruction other than the XML declaration: no message has one (and FoundationXML,
    /// which Drop used before, crashed on one without data: `<?pi?>`).
    case processingInstructionNotAllowed

    public var description: String {
        switch self {
        case let .malformed(line, column, reason): "not well-formed XML at line \(line), column \(column): \(reason)"
        case .doctypeNotAllowed: "a DOCTYPE is not allowed"
        case let .mixedContent(element, line): "element \(element) at line \(line) mixes text and elements"
        case let .tooDeep(line): "elements nested too deeply at line \(line)"
        case .notUTF8: "not UTF-8"
        case .processingInstructionNotAllowed: "a processing instruction is not allowed"
        }
    }
}

/// Parses XML into `Element`s with `XMLTreeReader` (namespaces processed, nothing outside the
/// document ever read, DOCTYPEs and processing instructions refused).
public enum XMLTree {
    public static let maximumDepth = 40

    /// The document's root element.
    public static func parse(_ bytes: some Sequence<UInt8>) throws(XMLTreeError) -> Element {
        let data = Data(bytes)
        // ISO 20022 messages are UTF-8. NUL is never XML, and excluding it also rules out the
        // NUL-padded encodings (UTF-16/32) in which a DOCTYPE's bytes would look different.
        guard !data.contains(0), Array(String(decoding: data, as: UTF8.self).utf8).elementsEqual(data),
              declaresOnlyUTF8(data) else { throw .notUTF8 }
        // Refused wherever it appears, even inside a comment or CDATA: no message Drop reads has one.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil { throw .doctypeNotAllowed }
        var reader = XMLTreeReader(Array(data))
        return try reader.document()
    }

    public static func parse(_ text: String) throws(XMLTreeError) -> Element {
        try parse(Array(text.utf8))
    }

    /// Whether the XML declaration, if any, names no encoding or UTF-8 (a UTF-8 byte order mark before it is fine).
    static func declaresOnlyUTF8(_ data: Data) -> Bool {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard bytes.starts(with: Array("<?xml".utf8)) else { return true }
        let declaration = String(decoding: bytes.prefix { $0 != UInt8(ascii: ">") }, as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return true }
        let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" || $0.isWhitespace }
            .prefix { $0 != "\"" && $0 != "'" && !$0.isWhitespace }
        return value.lowercased() == "utf-8"
    }
}
