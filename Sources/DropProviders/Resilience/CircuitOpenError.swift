/// Raised by `CircuitBreaker.run` without calling the provider, because the breaker is open
/// (or half-open with its one trial call already in flight).
public struct CircuitOpenError: Error, Sendable, Hashable, CustomStringConvertible {
    public let provider: String
    /// How long until the breaker will let a call through again.
    public let retryAfter: Duration

    public init(provider: String, retryAfter: Duration) {
        self.provider = provider
        self.retryAfter = retryAfter
    }

    public var description: String { "circuit for \(provider) is open; retry after \(retryAfter)" }
}
