import HTTPTypes

/// One limit of DESIGN.md §7: how many requests a caller may make to some routes per window.
public struct RateLimitRule: Sendable, Equatable {
    public enum Scope: String, Sendable { case ip, user }

    public var name: String
    public var pathPrefix: String
    /// nil = every method.
    public var methods: Set<String>?
    public var limit: Int
    public var windowSeconds: Int
    public var scope: Scope

    public init(name: String, pathPrefix: String, methods: Set<String>? = nil, limit: Int, windowSeconds: Int, scope: Scope) {
        self.name = name
        self.pathPrefix = pathPrefix
        self.methods = methods
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.scope = scope
    }

    public func applies(method: String, path: String) -> Bool {
        (path == pathPrefix || path.hasPrefix(pathPrefix.hasSuffix("/") ? pathPrefix : pathPrefix + "/") || path.hasPrefix(pathPrefix + "?"))
            && (methods?.contains(method) ?? true)
    }

    public static let defaults: [RateLimitRule] = [
        RateLimitRule(name: "auth", pathPrefix: "/v1/auth", limit: 10, windowSeconds: 60, scope: .ip),
        RateLimitRule(name: "transactions-ip", pathPrefix: "/v1/transactions", methods: ["POST"], limit: 10, windowSeconds: 60, scope: .ip),
        RateLimitRule(name: "transactions-user", pathPrefix: "/v1/transactions", methods: ["POST"], limit: 3, windowSeconds: 60, scope: .user),
        RateLimitRule(name: "exchange-rates", pathPrefix: "/v1/exchange-rates", limit: 120, windowSeconds: 60, scope: .ip),
    ]
}
