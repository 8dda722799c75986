import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

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
    /// encoding (UTF-16, UTF-7, …) a DOCTYPE would slip past the byte check while libxml2 honours it.
    case notUTF8
    /// A processing instruction other than the XML declaration: no message has one, and FoundationXML
    /// crashes on one without data (`<?pi?>`).
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

/// Parses XML into `Element`s with Foundation's `XMLParser` (namespaces processed, external
/// entities never resolved, DOCTYPEs refused).
public enum XMLTree {
    public static let maximumDepth = 40

    /// The document's root element.
    public static func parse(_ bytes: some Sequence<UInt8>) throws(XMLTreeError) -> Element {
        let data = Data(bytes)
        // Only in UTF-8 is the DOCTYPE check below a check of what libxml2 reads. NUL is never XML,
        // and excluding it also rules out the NUL-padded encodings libxml2 would detect (UTF-16/32).
        guard !data.contains(0), Array(String(decoding: data, as: UTF8.self).utf8).elementsEqual(data),
              declaresOnlyUTF8(data) else { throw .notUTF8 }
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil { throw .doctypeNotAllowed }
        let declarationStart = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.startIndex + 3 : data.startIndex
        var searchFrom = data.startIndex
        while let found = data.range(of: Data("<?".utf8), in: searchFrom..<data.endIndex) {
            let target = Array(data[found.upperBound...].prefix(4))
            guard found.lowerBound == declarationStart, target.count == 4, target.starts(with: Array("xml".utf8)),
                  [0x20, 0x09, 0x0A, 0x0D].contains(target[3]) else { throw .processingInstructionNotAllowed }
            searchFrom = found.upperBound
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        let succeeded = parser.parse()
        if let failure = builder.failure { throw failure }
        guard succeeded, let root = builder.root else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "no root element"
            throw .malformed(line: parser.lineNumber, column: parser.columnNumber, reason: reason)
        }
        return root
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

    /// Collects elements on a stack while `XMLParser` reads.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?
        var failure: XMLTreeError?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            guard stack.count < XMLTree.maximumDepth else {
                failure = .tooDeep(line: parser.lineNumber)
                parser.abortParsing()
                return
            }
            let namespace = namespaceURI.flatMap { $0.isEmpty ? nil : $0 }
            var attributes: [String: String] = [:]
            for (key, value) in attributeDict {
                // Namespace declarations are not attributes of the message.
                if key == "xmlns" || key.hasPrefix("xmlns:") { continue }
                attributes[key.split(separator: ":").last.map(String.init) ?? key] = value
            }
            stack.append(Element(name: elementName, namespace: namespace, attributes: attributes, line: parser.lineNumber))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard var node = stack.popLast() else { return }
            if !node.children.isEmpty {
                guard node.text.allSatisfy(\.isWhitespace) else {
                    failure = .mixedContent(element: node.name, line: node.line)
                    parser.abortParsing()
                    return
                }
                node.text = ""
            }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}
