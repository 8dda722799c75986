import Hummingbird

/// One cookie's value, found the way Hummingbird's `request.cookies[name]` finds it (the first
/// `name=value` across the Cookie headers split on `;`, leading spaces dropped, an empty value is
/// none) without making every cookie a `Cookie`: the session's and the language's are read on
/// every page, and building them all was about 5 % of the server's CPU under a crowd of pages.
public enum RequestCookie {
    public static func value(named name: String, in headers: [String]) -> String? {
        for header in headers {
            if let value = value(named: name, in: header) { return value }
        }
        return nil
    }

    public static func value(named name: String, in header: String) -> String? {
        var rest = header[...]
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
            let pair = rest[..<end].drop(while: \.isWhitespace)
            if let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")), pair[..<equals] == name {
                let value = pair[pair.index(after: equals)...]
                return value.isEmpty ? nil : String(value)
            }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return nil
    }
}

extension Request {
    /// `cookies[name]?.value` without parsing the cookies not asked for (`RequestCookie`).
    public func cookie(_ name: String) -> String? {
        RequestCookie.value(named: name, in: headers[values: .cookie])
    }
}
