import Logging
import NIOConcurrencyHelpers

/// One circuit breaker per bank, created on first use and kept for the client's life.
final class NextGenPSD2BreakerRegistry: Sendable {
    private let breakers = NIOLockedValueBox<[String: CircuitBreaker]>([:])
    private let configuration: CircuitBreaker.Configuration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private let onStateChange: (@Sendable (CircuitBreaker.StateChange) -> Void)?

    init(configuration: CircuitBreaker.Configuration, now: @escaping @Sendable () -> ContinuousClock.Instant, logger: Logger,
         onStateChange: (@Sendable (CircuitBreaker.StateChange) -> Void)? = nil) {
        self.configuration = configuration
        self.now = now
        self.logger = logger
        self.onStateChange = onStateChange
    }

    func breaker(for bank: String) -> CircuitBreaker {
        breakers.withLockedValue { breakers in
            if let existing = breakers[bank] { return existing }
            let breaker = CircuitBreaker(provider: NextGenPSD2Transport.provider(bank), configuration: configuration, now: now, logger: logger,
                                         onStateChange: onStateChange)
            breakers[bank] = breaker
            return breaker
        }
    }
}
