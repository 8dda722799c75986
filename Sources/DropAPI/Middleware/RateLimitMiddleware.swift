import DropCore
import Crypto
import DropStore
import Foundation
import Hummingbird

/// Counts requests per caller in the database (so several server processes share the counts)
/// and answers 429 `RATE_LIMITED` with `Retry-After` once a window's limit is spent.
/// Every request counts, idempotent replays included.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let rules: [RateLimitRule]
    let counter: RateLimitCounter
    let authenticator: any RequestAuthenticator
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if rules.isEmpty { return try await next(request, context) }
        let method = request.method.rawValue
        let path = NormalisedPath.of(request.uri.path)
        let matching = rules.filter { $0.applies(method: method, path: path) }
        if matching.isEmpty { return try await next(request, context) }

        var context = context
        let now = Int64(clock().timeIntervalSince1970)
        var tightest: (rule: RateLimitRule, remaining: Int, reset: Int64)?
        for rule in matching {
            let subject: String
            switch rule.scope {
            case .ip:
                subject = "ip:" + Self.pseudonym(context.clientIP)
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
        guard let tightest else { return try await next(request, context) }
        let headers: HTTPFields = [
            .rateLimitLimit: String(tightest.rule.limit),
            .rateLimitRemaining: String(tightest.remaining),
            .rateLimitReset: String(tightest.reset),
        ]
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: headers)
            return response
        } catch var error as AppError {
            // Error answers count too, so they tell the caller where it stands as well.
            error.headers.append(contentsOf: headers)
            throw error
        }
    }

    /// Counters are keyed by a hash of the address: the table never holds IPs in clear.
    static func pseudonym(_ ip: String) -> String {
        Hex.string(of: SHA256.hash(data: Data(ip.utf8)).prefix(12))
    }
}
