/// Reads XML 1.0 with namespaces into `XMLTree.Element`s, strictly and in Swift alone.
///
/// Only what the messages Drop exchanges contain is accepted: elements, attributes, character data,
/// character references and the five predefined entities, CDATA sections, comments and the XML
/// declaration. A DOCTYPE and every other processing instruction are refused, so no entity is ever
/// declared or expanded and nothing outside the document is ever read. It replaced FoundationXML's
/// `XMLParser`, which leaks libxml2's error objects for every malformed document and crashed on a
/// processing instruction without data (fuzz/README.md).
///
/// The input is already known to be UTF-8 without NUL (`XMLTree.parse` checks), so multi-byte
/// characters are taken as they come; names are checked byte by byte in ASCII and any non-ASCII
/// character is a name character.
struct XMLTreeReader {
    private let bytes: [UInt8]
    private var index = 0
    /// The line at `countedUpTo`, advanced lazily (`line(at:)`).
    private var countedLine = 1
    private var countedUpTo = 0
    private var lineStart = 0
    private var open: [OpenElement] = []
    /// Prefix → namespace URI in scope for each open element; `""` is the default namespace.
    private var scopes: [[String: String]] = [["xml": XMLTreeReader.xmlNamespace]]

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    private struct OpenElement {
        var element: XMLTree.Element
        let qualifiedName: ArraySlice<UInt8>
        var text: [UInt8] = []
    }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The document's root element.
    mutating func document() throws(XMLTreeError) -> XMLTree.Element {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        try checkCharacters()
        if looking(at: "<?xml"), index + 5 < bytes.count, Self.isSpace(bytes[index + 5]) {
            try declaration()
        }
        try miscellany()
        guard index < bytes.count else { throw malformed("no root element") }
        let root = try element()
        try miscellany()
        guard index == bytes.count else { throw malformed("content after the root element") }
        return root
    }

    // MARK: Structure

    /// The root element and everything in it, read without recursion.
    private mutating func element() throws(XMLTreeError) -> XMLTree.Element {
        guard bytes[index] == UInt8(ascii: "<") else { throw malformed("text outside the root element") }
        if let finished = try startTag() { return finished }
        while !open.isEmpty {
            guard index < bytes.count else { throw malformed("element \(open[open.count - 1].element.name) is not closed") }
            if bytes[index] == UInt8(ascii: "&") {
                var text = open[open.count - 1].text
                open[open.count - 1].text = []
                try reference(into: &text)
                open[open.count - 1].text = text
            } else if bytes[index] != UInt8(ascii: "<") {
                try characterData()
            } else if looking(at: "</") {
                if let finished = try endTag() { return finished }
            } else if looking(at: "<!--") {
                try comment()
            } else if looking(at: "<![CDATA[") {
                try characterDataSection()
            } else if looking(at: "<!DOCTYPE") {
                throw .doctypeNotAllowed
            } else if looking(at: "<?") {
                throw .processingInstructionNotAllowed
            } else if looking(at: "<!") {
                throw malformed("markup declarations are not allowed")
            } else if let finished = try startTag() {
                return finished
            }
        }
        throw malformed("no root element")
    }

    /// Whitespace and comments before or after the root element.
    private mutating func miscellany() throws(XMLTreeError) {
        while index < bytes.count {
            if Self.isSpace(bytes[index]) {
                index += 1
            } else if looking(at: "<!--") {
                try comment()
            } else if looking(at: "<!DOCTYPE") {
                throw .doctypeNotAllowed
            } else if looking(at: "<?") {
                throw .processingInstructionNotAllowed
            } else {
                return
            }
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, pseudo-attributes in that order.
    private mutating func declaration() throws(XMLTreeError) {
        index += 5
        var seen: [String] = []
        while true {
            let spaced = skipSpace()
            if looking(at: "?>") { index += 2; break }
            guard spaced else { throw malformed("expected whitespace in the XML declaration") }
            let name = String(decoding: try self.name(), as: UTF8.self)
            try equals()
            let value = try quoted { reader throws(XMLTreeError) in throw reader.malformed("a reference in the XML declaration") }
            let allowed = ["version", "encoding", "standalone"]
            guard let position = allowed.firstIndex(of: name), !seen.contains(name),
                  seen.allSatisfy({ allowed.firstIndex(of: $0)! < position }) else {
                throw malformed("unexpected \(name) in the XML declaration")
            }
            seen.append(name)
            let valid = switch name {
            case "version": value.hasPrefix("1.") && value.count > 2 && value.utf8.dropFirst(2).allSatisfy(Self.isDigit)
            case "standalone": value == "yes" || value == "no"
            default: value.lowercased() == "utf-8"
            }
            guard valid else { throw malformed("bad \(name) in the XML declaration") }
        }
        guard seen.first == "version" else { throw malformed("the XML declaration has no version") }
    }

    /// A start tag (or an empty-element tag); the element it finishes when that is the root.
    private mutating func startTag() throws(XMLTreeError) -> XMLTree.Element? {
        let start = index
        index += 1
        let qualifiedName = try name()
        var attributes: [(name: ArraySlice<UInt8>, value: String)] = []
        let empty: Bool
        while true {
            let spaced = skipSpace()
            guard index < bytes.count else { throw malformed("unfinished tag") }
            if bytes[index] == UInt8(ascii: ">") { index += 1; empty = false; break }
            if looking(at: "/>") { index += 2; empty = true; break }
            guard spaced else { throw malformed("expected whitespace between attributes") }
            let attributeName = try name()
            try equals()
            let value = try quoted { reader throws(XMLTreeError) in try reader.attributeReference() }
            guard !attributes.contains(where: { $0.name == attributeName }) else {
                throw malformed("attribute \(String(decoding: attributeName, as: UTF8.self)) repeated")
            }
            attributes.append((attributeName, value))
        }
        guard open.count < XMLTree.maximumDepth else { throw .tooDeep(line: line(at: start)) }

        var scope = scopes[scopes.count - 1]
        var plain: [String: String] = [:]
        for (rawName, value) in attributes {
            let (prefix, local) = try split(rawName)
            if prefix == nil, local == "xmlns" {
                scope[""] = value
            } else if prefix == "xmlns" {
                guard local != "xmlns", (local == "xml") == (value == Self.xmlNamespace), !value.isEmpty else {
                    throw malformed("namespace prefix \(local) can't be bound to that")
                }
                scope[local] = value
            }
        }
        for (rawName, value) in attributes {
            let (prefix, local) = try split(rawName)
            if prefix == "xmlns" || (prefix == nil && local == "xmlns") { continue }
            if let prefix, scope[prefix] == nil { throw malformed("namespace prefix \(prefix) is not declared") }
            plain[local] = value
        }
        let (prefix, local) = try split(qualifiedName)
        let namespace: String?
        if let prefix {
            guard let uri = scope[prefix] else { throw malformed("namespace prefix \(prefix) is not declared") }
            namespace = uri
        } else {
            namespace = scope[""].flatMap { $0.isEmpty ? nil : $0 }
        }
        let element = XMLTree.Element(name: local, namespace: namespace, attributes: plain, line: line(at: start))
        if empty { return finish(element) }
        open.append(OpenElement(element: element, qualifiedName: qualifiedName))
        scopes.append(scope)
        return nil
    }

    /// `</name>`; the root when this closes it.
    private mutating func endTag() throws(XMLTreeError) -> XMLTree.Element? {
        let start = index
        index += 2
        let closing = try name()
        _ = skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw malformed("unfinished end tag") }
        index += 1
        guard let current = open.popLast() else { throw malformed("end tag without a start tag") }
        scopes.removeLast()
        guard current.qualifiedName.elementsEqual(closing) else {
            index = start
            throw malformed("end tag \(String(decoding: closing, as: UTF8.self)) does not close \(String(decoding: current.qualifiedName, as: UTF8.self))")
        }
        var element = current.element
        if element.children.isEmpty {
            element.text = String(decoding: current.text, as: UTF8.self)
        } else {
            // Element-only content: whitespace between children is layout, anything else is refused.
            guard current.text.allSatisfy(Self.isSpace) else { throw .mixedContent(element: element.name, line: element.line) }
        }
        return finish(element)
    }

    /// Hands a closed element to its parent; the element itself when it is the root.
    private mutating func finish(_ element: XMLTree.Element) -> XMLTree.Element? {
        guard !open.isEmpty else { return element }
        open[open.count - 1].element.children.append(element)
        return nil
    }

    // MARK: Content

    private mutating func characterData() throws(XMLTreeError) {
        var text = open[open.count - 1].text
        open[open.count - 1].text = []
        while index < bytes.count, bytes[index] != UInt8(ascii: "<"), bytes[index] != UInt8(ascii: "&") {
            if looking(at: "]]>") { throw malformed("]]> in character data") }
            appendNormalisingLineEnd(into: &text)
        }
        open[open.count - 1].text = text
    }

    private mutating func characterDataSection() throws(XMLTreeError) {
        let start = index
        index += 9
        var text = open[open.count - 1].text
        open[open.count - 1].text = []
        while !looking(at: "]]>") {
            guard index < bytes.count else { index = start; throw malformed("unfinished CDATA section") }
            appendNormalisingLineEnd(into: &text)
        }
        index += 3
        open[open.count - 1].text = text
    }

    private mutating func comment() throws(XMLTreeError) {
        let start = index
        index += 4
        while !looking(at: "--") {
            guard index < bytes.count else { index = start; throw malformed("unfinished comment") }
            index += 1
        }
        guard index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: ">") else { throw malformed("-- inside a comment") }
        index += 3
    }

    /// Line ends in text are read as `\n` whether sent as `\r\n`, `\r` or `\n` (XML 1.0 §2.11).
    private mutating func appendNormalisingLineEnd(into text: inout [UInt8]) {
        let byte = bytes[index]
        index += 1
        if byte == 0x0D {
            if index < bytes.count, bytes[index] == 0x0A { index += 1 }
            text.append(0x0A)
        } else {
            text.append(byte)
        }
    }

    /// `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`, `&#NN;` or `&#xHH;`; any other entity is unknown,
    /// since no DOCTYPE can declare one.
    private mutating func reference(into text: inout [UInt8]) throws(XMLTreeError) {
        let start = index
        index += 1
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            index = start
            throw malformed("& that starts no reference")
        }
        let name = bytes[index..<end]
        index = end + 1
        switch Array(name) {
        case Array("lt".utf8): text.append(UInt8(ascii: "<"))
        case Array("gt".utf8): text.append(UInt8(ascii: ">"))
        case Array("amp".utf8): text.append(UInt8(ascii: "&"))
        case Array("apos".utf8): text.append(UInt8(ascii: "'"))
        case Array("quot".utf8): text.append(UInt8(ascii: "\""))
        default:
            guard name.first == UInt8(ascii: "#") else { index = start; throw malformed("unknown entity") }
            let isHex = name.dropFirst().first == UInt8(ascii: "x")
            let digitBytes = name.dropFirst(isHex ? 2 : 1)
            let digits = String(decoding: digitBytes, as: UTF8.self)
            guard !digitBytes.isEmpty, digitBytes.allSatisfy({ isHex ? Self.isHexDigit($0) : Self.isDigit($0) }),
                  let value = UInt32(digits, radix: isHex ? 16 : 10), let scalar = Unicode.Scalar(value),
                  XMLWriter.isAllowedInXML(scalar) else {
                index = start
                throw malformed("a character reference to no XML character")
            }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }

    /// In an attribute value a reference reads as in text; the value's own tabs and line ends are spaces.
    private mutating func attributeReference() throws(XMLTreeError) -> [UInt8] {
        var text: [UInt8] = []
        try reference(into: &text)
        return text
    }

    /// A quoted value; `onReference` reads what an `&` starts.
    private mutating func quoted(
        _ onReference: (inout XMLTreeReader) throws(XMLTreeError) -> [UInt8]
    ) throws(XMLTreeError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw malformed("expected a quoted value")
        }
        let quote = bytes[index]
        let start = index
        index += 1
        var value: [UInt8] = []
        while true {
            guard index < bytes.count else { index = start; throw malformed("unfinished quoted value") }
            let byte = bytes[index]
            if byte == quote { index += 1; break }
            switch byte {
            case UInt8(ascii: "<"): throw malformed("< in a quoted value")
            case UInt8(ascii: "&"): value.append(contentsOf: try onReference(&self))
            case 0x0D:
                index += 1
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                value.append(0x20)
            case 0x09, 0x0A:
                index += 1
                value.append(0x20)
            default:
                index += 1
                value.append(byte)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    // MARK: Tokens

    /// An XML name (ASCII name characters, or any non-ASCII character).
    private mutating func name() throws(XMLTreeError) -> ArraySlice<UInt8> {
        let start = index
        guard index < bytes.count, Self.isNameStart(bytes[index]) else { throw malformed("expected a name") }
        index += 1
        while index < bytes.count, Self.isNameStart(bytes[index]) || Self.isNameCharacter(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }

    /// `prefix:local` or `local`; more than one colon or an empty part is not a qualified name.
    private mutating func split(_ name: ArraySlice<UInt8>) throws(XMLTreeError) -> (prefix: String?, local: String) {
        let parts = name.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (nil, String(decoding: parts[0], as: UTF8.self))
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty:
            return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self))
        default: throw malformed("\(String(decoding: name, as: UTF8.self)) is not a qualified name")
        }
    }

    private mutating func equals() throws(XMLTreeError) {
        _ = skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw malformed("expected =") }
        index += 1
        _ = skipSpace()
    }

    /// Skips whitespace; whether there was any.
    private mutating func skipSpace() -> Bool {
        let start = index
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        return index > start
    }

    private func looking(at literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { literalBytes in
            var offset = 0
            while offset < count {
                if bytes[index + offset] != literalBytes[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    /// Control characters (but tab and line ends) and U+FFFE/U+FFFF are not XML characters anywhere.
    private mutating func checkCharacters() throws(XMLTreeError) {
        var position = index
        while position < bytes.count {
            let byte = bytes[position]
            let notCharacter = (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D)
                || (byte == 0xEF && position + 2 < bytes.count && bytes[position + 1] == 0xBF && bytes[position + 2] >= 0xBE)
            if notCharacter {
                index = position
                throw malformed("a character XML does not allow")
            }
            position += 1
        }
    }

    // MARK: Errors and positions

    private mutating func malformed(_ reason: String) -> XMLTreeError {
        let line = line(at: min(index, bytes.count))
        return .malformed(line: line, column: min(index, bytes.count) - lineStart + 1, reason: reason)
    }

    /// The 1-based line of `position`, counting `\r\n`, `\r` and `\n` as one line end; positions only grow.
    private mutating func line(at position: Int) -> Int {
        while countedUpTo < position {
            let byte = bytes[countedUpTo]
            countedUpTo += 1
            if byte == 0x0A || (byte == 0x0D && (countedUpTo == bytes.count || bytes[countedUpTo] != 0x0A)) {
                countedLine += 1
                lineStart = countedUpTo
            }
        }
        return countedLine
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
