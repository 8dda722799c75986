import HTTPTypes

/// One limit of docs/api.md, "Rate limits": how many requests a caller may make to some routes per window.
/// Rules match the normalised path (`NormalisedPath`), so no spelling of a route escapes them.
public struct RateLimitRule: Sendable, Equatable {
    public enum Scope: String, Sendable { case ip, user }

    public var name: String
    /// Path prefixes (whole segments) counted in this one bucket: an API route and the web form
    /// standing for it share their budget.
    public var paths: [String]
    /// Prefixes under `paths` that are not counted.
    public var excluding: [String]
    /// nil = every method.
    public var methods: Set<String>?
    public var limit: Int
    public var windowSeconds: Int
    public var scope: Scope

    public init(name: String, paths: [String], excluding: [String] = [], methods: Set<String>? = nil,
                limit: Int, windowSeconds: Int, scope: Scope) {
        self.name = name
        self.paths = paths
        self.excluding = excluding
        self.methods = methods
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.scope = scope
    }

    /// `path` must already be normalised.
    public func applies(method: String, path: String) -> Bool {
        (methods?.contains(method) ?? true)
            && paths.contains { Self.path(path, isUnder: $0) }
            && !excluding.contains { Self.path(path, isUnder: $0) }
    }

    static func path(_ path: String, isUnder prefix: String) -> Bool {
        path == prefix || path.hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/")
    }

    public static let defaults: [RateLimitRule] = [
        // Sign-in attempts. Logout and `me` need a session already: a user signing out is not guessing.
        RateLimitRule(name: "auth", paths: ["/v1/auth"], excluding: ["/v1/auth/logout", "/v1/auth/logout-all", "/v1/auth/me"],
                      limit: 10, windowSeconds: 60, scope: .ip),
        // Money-moving: the API and the web forms that create the same transfers and QR payments.
        RateLimitRule(name: "transactions-ip", paths: moneyMoving, methods: ["POST"], limit: 10, windowSeconds: 60, scope: .ip),
        RateLimitRule(name: "transactions-user", paths: moneyMoving, methods: ["POST"], limit: 3, windowSeconds: 60, scope: .user),
        // Prices a signed-in customer asks for: each is a stored quote (purged a day after it expires unused).
        RateLimitRule(name: "quotes-user", paths: ["/v1/quotes", "/send/quote"], methods: ["POST"], limit: 30, windowSeconds: 60, scope: .user),
        // Standing transfers: setting one up asks the bank; pausing and stopping are cheap but still bounded.
        RateLimitRule(name: "standing-orders-user", paths: ["/v1/standing-orders", "/standing"], methods: ["POST"], limit: 10, windowSeconds: 60,
                      scope: .user),
        RateLimitRule(name: "exchange-rates", paths: ["/v1/exchange-rates"], limit: 120, windowSeconds: 60, scope: .ip),
        // The public price calculator (API and the front page's form): open to anyone, so per address.
        RateLimitRule(name: "prices", paths: ["/v1/prices", "/price"], limit: 60, windowSeconds: 60, scope: .ip),
        // Receivers' tracking pages: public, so bounded like the prices.
        RateLimitRule(name: "tracking", paths: ["/v1/tracking", "/t"], limit: 60, windowSeconds: 60, scope: .ip),
    ]

    static let moneyMoving = ["/v1/transactions", "/send/confirm", "/pay"]
}
