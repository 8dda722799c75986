import Hummingbird

/// The registered routes, kept for two jobs the router doesn't do: answering 405 (with `Allow`)
/// when a path exists under another method, and comparing the server with its OpenAPI document.
public struct RouteTable: Sendable {
    public struct Entry: Sendable, Hashable {
        public let method: String
        /// Normalized template: parameters written `{name}`, wildcards `{*}`.
        public let template: String
    }

    public let entries: [Entry]

    public init(_ routes: [(method: String, path: String)]) {
        entries = routes.map { Entry(method: $0.method, template: Self.template(of: $0.path)) }
    }

    /// Methods registered for a concrete request path.
    public func allowedMethods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return Array(Set(entries.filter { Self.matches(template: $0.template, segments: segments) }.map(\.method))).sorted()
    }

    /// Hummingbird writes `:id` and `*`; OpenAPI writes `{id}`. Both become `{id}` / `{*}`.
    public static func template(of path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { part -> String in
            if part.hasPrefix(":") { return "{\(part.dropFirst())}" }
            if part == "*" || part == "**" { return "{*}" }
            if part.hasPrefix("{") && part.hasSuffix("}") { return String(part) }
            return String(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func matches(template: String, segments: [Substring]) -> Bool {
        let parts = template.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in part.hasPrefix("{") || part == segment }
    }
}
