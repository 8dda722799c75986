/// Reads the `for=` of each element of RFC 7239 `Forwarded` headers, left to right, as
/// `ClientAddressResolver` walks them. Pure parsing: which hops to believe is the resolver's job.
///
/// `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711", for=unknown, for=_hidden`
///
/// Whatever can't be read becomes `.invalid` rather than a guess: the walk from the right stops
/// there, so a malformed or hostile left part can never supply the client address.
public enum ForwardedHeader {
    /// What one element says about the node the request came from.
    public enum Node: Sendable, Equatable {
        case address(IPAddress)
        /// `for=unknown`: the proxy did not know who connected to it.
        case unknown
        /// `for=_hidden`: the proxy hid it (RFC 7239 §6.3).
        case obfuscated
        /// No `for=`, a repeated `for=`, or a value or syntax this grammar doesn't allow.
        case invalid
    }

    /// Longer headers (all lines together) are not read at all: proxies add tens of bytes per hop.
    public static let maxBytes = 8 * 1024
    /// More elements than any real chain of proxies has.
    public static let maxElements = 64

    /// The `for=` node of every element of every header line, in the order received.
    public static func forNodes(_ lines: [String]) -> [Node] {
        guard lines.reduce(0, { $0 + $1.utf8.count }) <= maxBytes else { return [.invalid] }
        var nodes: [Node] = []
        for line in lines {
            nodes += forNodes(line: Array(line.utf8))
            if nodes.count > maxElements { return [.invalid] }
        }
        return nodes
    }

    /// One line. Each line is framed by HTTP itself, so a broken one (an unbalanced quote) ends
    /// in `.invalid` without swallowing the lines after it, which our proxies may have added.
    static func forNodes(line bytes: [UInt8]) -> [Node] {
        var nodes: [Node] = []
        var index = 0
        var forValue: String?
        var forCount = 0
        var elementHasContent = false

        func endElement() {
            // Empty list members (`a, , b`) are allowed by the list syntax and say nothing.
            if elementHasContent {
                // No `for`, or two (a parameter occurs at most once per element, §4): nothing to believe.
                nodes.append(forCount == 1 ? node(forValue) : .invalid)
            }
            forValue = nil
            forCount = 0
            elementHasContent = false
        }

        while true {
            skipSpaces(bytes, &index)
            if index == bytes.count { endElement(); return nodes }
            switch bytes[index] {
            case UInt8(ascii: ","):
                endElement()
                index += 1
                continue
            case UInt8(ascii: ";"):
                elementHasContent = true  // an element, if one without `for`
                index += 1
                continue
            default:
                break
            }
            // forwarded-pair = token "=" value
            let nameStart = index
            while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
            guard index > nameStart else { return nodes + [.invalid] }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nodes + [.invalid] }
            index += 1
            guard let value = readValue(bytes, &index) else { return nodes + [.invalid] }
            elementHasContent = true
            if name == "for" {
                forValue = value
                forCount += 1
            }
            skipSpaces(bytes, &index)
            guard index == bytes.count || bytes[index] == UInt8(ascii: ";") || bytes[index] == UInt8(ascii: ",") else {
                return nodes + [.invalid]
            }
        }
    }

    /// token / quoted-string, with quoted-pairs unescaped; nil when unterminated or not allowed.
    static func readValue(_ bytes: [UInt8], _ index: inout Int) -> String? {
        guard index < bytes.count else { return nil }
        if bytes[index] != UInt8(ascii: "\"") {
            let start = index
            while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, isQuotable(bytes[index + 1]) else { return nil }
                value.append(bytes[index + 1])
                index += 2
            default:
                guard isQuotable(byte) else { return nil }
                value.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// node = nodename [ ":" node-port ]; nodename = IPv4address / "[" IPv6address "]" / "unknown" / obfnode.
    static func node(_ value: String?) -> Node {
        guard let value, !value.isEmpty else { return .invalid }
        var name = Substring(value)
        var port: Substring?
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return .invalid }
            let rest = name[name.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return .invalid }
                port = rest.dropFirst()
            }
            let inner = name[name.index(after: name.startIndex)..<close]
            // Brackets hold IPv6 only, without a zone (RFC 7239 §6.1 uses RFC 3986's IPv6address).
            guard inner.contains(":"), inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), let address = IPAddress(inner),
                  !address.isIPv4 || inner.lowercased().hasPrefix("::ffff:") else { return .invalid }
            return isPort(port) ? .address(address) : .invalid
        }
        if let colon = name.firstIndex(of: ":") {
            port = name[name.index(after: colon)...]
            name = name[..<colon]
        }
        guard isPort(port) else { return .invalid }
        if name.lowercased() == "unknown" { return .unknown }
        if name.hasPrefix("_") { return isObfuscated(name) ? .obfuscated : .invalid }
        // IPv4 only here: an IPv6 address must be in brackets.
        guard name.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }), let address = IPAddress(name), address.isIPv4 else { return .invalid }
        return .address(address)
    }

    /// port = 1*5DIGIT / obfport = "_" 1*(ALPHA / DIGIT / "." / "_" / "-").
    static func isPort(_ port: Substring?) -> Bool {
        guard let port else { return true }
        if port.hasPrefix("_") { return isObfuscated(port) }
        return (1...5).contains(port.count) && port.allSatisfy { ("0"..."9").contains($0) }
    }

    static func isObfuscated(_ text: Substring) -> Bool {
        text.count >= 2 && text.hasPrefix("_") && text.dropFirst().allSatisfy {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-")
        }
    }

    static func skipSpaces(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    /// tchar (RFC 9110 §5.6.2).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            tokenSymbols.contains(byte)
        }
    }

    static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    /// qdtext or the second byte of a quoted-pair: visible ASCII, space and tab (no obs-text).
    static func isQuotable(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (0x20...0x7E).contains(byte)
    }
}
