import Logging

/// Retries an outbound call that failed for a transient reason.
///
/// Only idempotent calls (GET/PUT/DELETE, or a POST carrying an idempotency key) are retried:
/// repeating anything else could pay twice. Delays grow 1 s, 2 s, 4 s (`baseDelay · 2^(n-1)`),
/// each spread by ±`jitterPercent` (default ±20 %, "bounded jitter": it breaks up
/// synchronised retry waves while keeping the documented 1/2/4 s shape, which full jitter would not).
/// When the provider sends `Retry-After`, the wait is at least that long; if it asks for more
/// than `maxHonouredRetryAfter`, the policy gives up at once rather than hold the caller.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    public var baseDelay: Duration
    public var jitterPercent: Int
    public var maxHonouredRetryAfter: Duration
    /// Decides which errors are worth another attempt.
    public var isRetryable: @Sendable (any Error) -> Bool
    /// How to wait; tests pass a closure that records the delay and returns at once.
    public var sleep: @Sendable (Duration) async throws -> Void
    public var randomness: RetryRandomness
    public var logger: Logger

    public init(
        maxRetries: Int = 3,
        baseDelay: Duration = .seconds(1),
        jitterPercent: Int = 20,
        maxHonouredRetryAfter: Duration = .seconds(10),
        isRetryable: @escaping @Sendable (any Error) -> Bool = RetryPolicy.isTransient,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        randomness: RetryRandomness = .system(),
        logger: Logger = Logger(label: "drop.providers.retry")
    ) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.jitterPercent = min(max(0, jitterPercent), 100)
        self.maxHonouredRetryAfter = maxHonouredRetryAfter
        self.isRetryable = isRetryable
        self.sleep = sleep
        self.randomness = randomness
        self.logger = logger
    }

    /// Default classification: timeouts, connection failures, 5xx and 429 are transient;
    /// other 4xx, decoding errors, an open circuit and cancellation are not.
    @Sendable public static func isTransient(_ error: any Error) -> Bool {
        if let providerError = error as? ProviderError { return providerError.isTransient }
        return false
    }

    /// The wait before retry number `retry` (1-based), before any `Retry-After`.
    public func delay(beforeRetry retry: Int) -> Duration {
        let nominal = baseDelay * (1 << min(max(retry - 1, 0), 30))
        guard jitterPercent > 0 else { return nominal }
        // Offset in permille within ±jitterPercent, uniformly.
        let span = UInt64(jitterPercent * 20 + 1)
        let offsetPermille = Int(randomness.next() % span) - jitterPercent * 10
        return nominal * (1000 + offsetPermille) / 1000
    }

    /// Runs `operation`, repeating it after transient failures when `idempotent` is true.
    /// Rethrows the last error once retries are used up or the error is not retryable.
    public func run<T>(
        idempotent: Bool,
        isolation: isolated (any Actor)? = #isolation,
        _ operation: () async throws -> T
    ) async throws -> T {
        var retry = 0
        while true {
            do {
                return try await operation()
            } catch {
                guard idempotent, retry < maxRetries, isRetryable(error), !Task.isCancelled else { throw error }
                retry += 1
                var wait = delay(beforeRetry: retry)
                if let asked = (error as? ProviderError)?.retryAfter {
                    guard asked <= maxHonouredRetryAfter else { throw error }
                    wait = max(wait, asked)
                }
                logger.notice("retrying outbound call", metadata: [
                    "retry": "\(retry)", "max_retries": "\(maxRetries)",
                    "delay_ms": "\(wait.wholeMilliseconds)", "error": "\(Self.safeDescription(error))",
                ])
                try await sleep(wait)
            }
        }
    }

    /// Error text for logs: our own errors describe only status and provider, never bodies.
    static func safeDescription(_ error: any Error) -> String {
        if let providerError = error as? ProviderError { return providerError.description }
        return String(describing: type(of: error))
    }
}

extension Duration {
    /// Whole milliseconds, for logs and metrics.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
