import Foundation

/// `application/x-www-form-urlencoded` parameters, from a query string or a request body.
///
/// Keeps every occurrence, because OAuth 2.0 (RFC 6749 §3.1) refuses requests that repeat a parameter.
struct BankIDFormParameters: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(encoded: some StringProtocol) {
        for field in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard !name.isEmpty else { continue }
            pairs.append((name, parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    init(_ pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// The first value of `name`; empty values count as absent, as OAuth 2.0 says.
    subscript(name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// The first of `names` that occurs more than once.
    func repeated(among names: [String]) -> String? {
        names.first { name in pairs.count(where: { $0.name == name }) > 1 }
    }

    /// `a=b&c=d`, percent-encoding everything outside the unreserved set.
    var encoded: String {
        pairs.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    static func decode(_ component: some StringProtocol) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
