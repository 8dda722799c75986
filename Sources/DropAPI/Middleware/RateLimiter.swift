import DropCore
import Crypto
import DropStore
import Foundation
import Hummingbird

/// Counts requests per caller in the database (so several server processes share the counts)
/// and refuses with 429 `RATE_LIMITED` and `Retry-After` once a window's limit is spent
/// (`AdmissionMiddleware`). Every request counts, idempotent replays included.
struct RateLimiter: Sendable {
    let rules: [RateLimitRule]
    let counter: RateLimitCounter
    let authenticator: any RequestAuthenticator
    let clock: @Sendable () -> Date

    /// Counts the request against every rule that applies and throws once one is spent. Returns the
    /// tightest rule's `RateLimit-*` headers for the answer, or nil when no rule applies.
    /// A `user` rule authenticates the caller (once, for the rest of the chain too).
    func admit(_ request: Request, context: inout AppRequestContext) async throws -> HTTPFields? {
        if rules.isEmpty { return nil }
        let method = request.method.rawValue
        let path = NormalisedPath.of(request.uri.path)
        let matching = rules.filter { $0.applies(method: method, path: path) }
        if matching.isEmpty { return nil }

        let now = Int64(clock().timeIntervalSince1970)
        var tightest: (rule: RateLimitRule, remaining: Int, reset: Int64)?
        for rule in matching {
            let subject: String
            switch rule.scope {
            case .ip:
                subject = "ip:" + Self.pseudonym(Self.caller(context.clientIP))
            case .user:
                if !context.authenticated {
                    context.identity = try await authenticator.authenticate(request, context: context)
                    context.authenticated = true
                }
                guard let identity = context.identity else { continue }  // anonymous: the IP rules apply
                subject = "user:" + identity.userId
            }
            let window = Int64(rule.windowSeconds)
            let windowStart = now - now % window
            let count = try await counter.hit(key: "\(rule.name):\(subject)", windowStart: windowStart)
            let reset = windowStart + window - now
            if count > rule.limit {
                throw AppError(.tooManyRequests, code: "RATE_LIMITED",
                               message: "Too many requests. Try again in \(reset) seconds.",
                               headers: [.retryAfter: String(reset), .rateLimitLimit: String(rule.limit),
                                         .rateLimitRemaining: "0", .rateLimitReset: String(reset)])
            }
            let remaining = rule.limit - count
            if tightest == nil || remaining < tightest!.remaining { tightest = (rule, remaining, reset) }
        }
        guard let tightest else { return nil }
        return [
            .rateLimitLimit: String(tightest.rule.limit),
            .rateLimitRemaining: String(tightest.remaining),
            .rateLimitReset: String(tightest.reset),
        ]
    }

    /// Whom a client address stands for: itself for IPv4, its /64 for IPv6 (`IPAddress.subscriberNetwork`).
    static func caller(_ ip: String) -> String {
        guard ip.contains(":"), let address = IPAddress(ip), !address.isIPv4 else { return ip }
        return address.subscriberNetwork.description
    }

    /// Counters are keyed by a hash of the address: the table never holds IPs in clear.
    static func pseudonym(_ ip: String) -> String {
        Hex.string(of: SHA256.hash(data: Data(ip.utf8)).prefix(12))
    }
}
