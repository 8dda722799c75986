/// What went wrong talking to an outside party, in the terms the API layer answers with.
///
/// `.unavailable`, `.timeout` and `.circuitOpen` mean "try again later" and become
/// 503 `PROVIDER_UNAVAILABLE` with `Retry-After`; `.http` is the provider refusing this request;
/// `.decoding` is an answer Drop cannot understand; `.invalidRequest` is Drop's own mistake.
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Connection failed, reset or refused, or the provider answered 5xx or 429.
    case unavailable(provider: String, retryAfter: Duration?)
    /// No complete answer within the per-call timeout.
    case timeout(provider: String)
    /// A non-success answer that retrying will not change (4xx other than 408/429). Body truncated.
    case http(provider: String, status: Int, body: String)
    /// The answer arrived but is not what the protocol promises.
    case decoding(provider: String, reason: String)
    /// The provider's breaker is open: Drop did not call it.
    case circuitOpen(provider: String, retryAfter: Duration)
    /// The request could not be built or sent as configured (bad URL, bad parameter).
    case invalidRequest(provider: String, reason: String)

    public var provider: String {
        switch self {
        case .unavailable(let provider, _), .timeout(let provider), .http(let provider, _, _),
             .decoding(let provider, _), .circuitOpen(let provider, _), .invalidRequest(let provider, _):
            provider
        }
    }

    /// Whether the same idempotent call may succeed if repeated shortly.
    public var isTransient: Bool {
        switch self {
        case .unavailable, .timeout: true
        case .http(_, let status, _): status == 408 || status == 429 || status >= 500
        case .decoding, .circuitOpen, .invalidRequest: false
        }
    }

    /// Whether this says something about the provider's health (and so counts for its breaker).
    /// A 4xx or a bad request of ours does not: the provider answered correctly.
    public var indicatesProviderFailure: Bool {
        switch self {
        case .unavailable, .timeout: true
        case .http(_, let status, _): status >= 500
        case .decoding, .circuitOpen, .invalidRequest: false
        }
    }

    /// The provider answered, but with something Drop could not read or refuses to use.
    public var isUnreadableAnswer: Bool {
        if case .decoding = self { return true }
        return false
    }

    /// Whether the API should answer 503 PROVIDER_UNAVAILABLE.
    public var isProviderUnavailable: Bool {
        switch self {
        case .unavailable, .timeout, .circuitOpen: true
        case .http, .decoding, .invalidRequest: false
        }
    }

    /// The wait the provider (or the breaker) asked for, if any.
    public var retryAfter: Duration? {
        switch self {
        case .unavailable(_, let retryAfter): retryAfter
        case .circuitOpen(_, let retryAfter): retryAfter
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .unavailable(let provider, let retryAfter):
            "\(provider) unavailable" + (retryAfter.map { " (retry after \($0))" } ?? "")
        case .timeout(let provider): "\(provider) timed out"
        case .http(let provider, let status, _): "\(provider) answered HTTP \(status)"
        case .decoding(let provider, let reason): "\(provider) sent an unreadable answer: \(reason)"
        case .circuitOpen(let provider, let retryAfter): "\(provider) circuit open (retry after \(retryAfter))"
        case .invalidRequest(let provider, let reason): "invalid request to \(provider): \(reason)"
        }
    }
}
