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

    /// A `*` segment in `prefix` stands for any one segment (an id), e.g. `/v1/transactions/*/sca-callback`.
    static func path(_ path: String, isUnder prefix: String) -> Bool {
        guard prefix.contains("*") else { return path == prefix || path.hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/") }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let pattern = prefix.split(separator: "/", omittingEmptySubsequences: true)
        return segments.count >= pattern.count && zip(segments, pattern).allSatisfy { $1 == "*" || $0 == $1 }
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
        // Linking a bank asks it for a consent, and a refresh reads every linked account there: both spend Drop's
        // access, which each bank rations for Drop as a whole. Removing a link counts too (one prefix).
        RateLimitRule(name: "bank-links-user", paths: ["/v1/bank-accounts", "/bank-accounts"], methods: ["POST"], limit: 10, windowSeconds: 600,
                      scope: .user),
        RateLimitRule(name: "bank-links-ip", paths: ["/v1/bank-accounts/connect", "/bank-accounts/connect"], methods: ["POST"], limit: 30,
                      windowSeconds: 600, scope: .ip),
        // Where a bank sends the browser back: public (the id is the key) and each one may ask the bank. A payment's page
        // asks at most every few seconds (`TransactionService.followUp`), so this is only a ceiling on a flood: high enough
        // for the many payers a mobile network puts behind one address, each coming back once.
        RateLimitRule(name: "bank-returns", paths: ["/v1/bank-accounts/callback", "/v1/transactions/*/sca-callback", "/v1/standing-orders/*/sca-callback"],
                      methods: ["GET"], limit: 120, windowSeconds: 60, scope: .ip),
        // Starting the identity check asks Sumsub for the applicant and an SDK token.
        RateLimitRule(name: "identity-check-user", paths: ["/v1/kyc/start", "/onboarding/kyc"], methods: ["POST"], limit: 10, windowSeconds: 3600,
                      scope: .user),
        // Each complaint is a case a person must answer within the legal deadline: a flood would bury the real ones.
        RateLimitRule(name: "complaints-user", paths: ["/v1/complaints", "/complaints"], methods: ["POST"], limit: 10, windowSeconds: 86_400,
                      scope: .user),
        // Recipients are kept for years; adding, changing and removing them is a person's pace, not a script's.
        RateLimitRule(name: "recipients-user", paths: ["/v1/recipients", "/recipients"], methods: ["POST", "PATCH", "DELETE"], limit: 30,
                      windowSeconds: 600, scope: .user),
        // What a merchant code names is public: looked up at a person's pace, never enumerated.
        RateLimitRule(name: "merchant-lookup", paths: ["/v1/merchants", "/pay"], excluding: ["/v1/merchants/me"], methods: ["GET"], limit: 60,
                      windowSeconds: 60, scope: .ip),
    ]

    static let moneyMoving = ["/v1/transactions", "/send/confirm", "/pay"]
}
