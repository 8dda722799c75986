import Logging
import NIOConcurrencyHelpers

/// One circuit breaker per bank, created on first use and kept for the client's life.
final class NextGenPSD2BreakerRegistry: Sendable {
    private let breakers = NIOLockedValueBox<[String: CircuitBreaker]>([:])
    private let configuration: CircuitBreaker.Configuration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger

    init(configuration: CircuitBreaker.Configuration, now: @escaping @Sendable () -> ContinuousClock.Instant, logger: Logger) {
        self.configuration = configuration
        self.now = now
        self.logger = logger
    }

    func breaker(for bank: String) -> CircuitBreaker {
        breakers.withLockedValue { breakers in
            if let existing = breakers[bank] { return existing }
            let breaker = CircuitBreaker(provider: NextGenPSD2Transport.provider(bank), configuration: configuration, now: now, logger: logger)
            breakers[bank] = breaker
            return breaker
        }
    }
}
