import Logging

/// Stops calling a provider that keeps failing, so users get a fast "try later" instead of
/// waiting on timeouts, and the provider gets room to recover. One breaker per provider (or per bank).
///
/// - closed: calls go through. `failureThreshold` consecutive failures (no success in between),
///   all within `failureWindow` of each other, open it. A success clears the count.
/// - open: calls fail at once with `CircuitOpenError` (carrying `retryAfter`) for `openDuration`.
/// - halfOpen: after that, exactly one trial call goes through; callers arriving while it runs
///   fail fast. Trial success closes the breaker, trial failure opens it for another `openDuration`.
///
/// Only errors for which `countsAsFailure` is true count: a 404 or a cancelled request says
/// nothing about the provider's health. Time comes from the injected `now`, so tests can move it.
public actor CircuitBreaker {
    public enum State: String, Sendable, Hashable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    public struct Configuration: Sendable, Hashable {
        public var failureThreshold: Int
        public var failureWindow: Duration
        public var openDuration: Duration
        /// What `retryAfter` to tell callers turned away while the half-open trial runs.
        public var trialRetryAfter: Duration

        public init(
            failureThreshold: Int = 3,
            failureWindow: Duration = .seconds(60),
            openDuration: Duration = .seconds(60),
            trialRetryAfter: Duration = .seconds(5)
        ) {
            self.failureThreshold = max(1, failureThreshold)
            self.failureWindow = failureWindow
            self.openDuration = openDuration
            self.trialRetryAfter = trialRetryAfter
        }
    }

    /// What metrics and health endpoints export.
    public struct Snapshot: Sendable, Hashable {
        public let provider: String
        public let state: State
        /// Failures since the last success that are still inside the window.
        public let consecutiveFailures: Int
        public let openedAt: ContinuousClock.Instant?
        /// While open: time left before a trial call is allowed.
        public let retryAfter: Duration?
    }

    public struct StateChange: Sendable, Hashable {
        public let provider: String
        public let from: State
        public let to: State
        public let at: ContinuousClock.Instant
        public let consecutiveFailures: Int
    }

    /// Admission ticket; `generation` makes results of calls admitted before a state change stale.
    private struct Permit: Sendable {
        let generation: UInt64
        let isTrial: Bool
    }

    public nonisolated let provider: String
    public nonisolated let configuration: Configuration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let countsAsFailure: @Sendable (any Error) -> Bool
    private let onStateChange: (@Sendable (StateChange) -> Void)?
    private let logger: Logger

    private var state: State = .closed
    private var failureTimes: [ContinuousClock.Instant] = []
    private var openedAt: ContinuousClock.Instant?
    private var trialInFlight = false
    private var generation: UInt64 = 0

    public init(
        provider: String,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        countsAsFailure: @escaping @Sendable (any Error) -> Bool = CircuitBreaker.countsAsProviderFailure,
        logger: Logger = Logger(label: "drop.providers.circuit-breaker"),
        onStateChange: (@Sendable (StateChange) -> Void)? = nil
    ) {
        self.provider = provider
        self.configuration = configuration
        self.now = now
        self.countsAsFailure = countsAsFailure
        self.logger = logger
        self.onStateChange = onStateChange
    }

    /// Default: provider errors count when they say the provider is unhealthy; cancellation and
    /// our own fail-fast never count; any other (unexpected) error counts.
    @Sendable public static func countsAsProviderFailure(_ error: any Error) -> Bool {
        if let providerError = error as? ProviderError { return providerError.indicatesProviderFailure }
        if error is CancellationError || error is CircuitOpenError { return false }
        return true
    }

    public var snapshot: Snapshot {
        let time = now()
        let recent = failureTimes.filter { time - $0 <= configuration.failureWindow }.count
        let retryAfter = openedAt.map { opened -> Duration in
            max(.zero, opened + configuration.openDuration - time)
        }
        return Snapshot(
            provider: provider, state: state, consecutiveFailures: recent,
            openedAt: openedAt, retryAfter: state == .open ? retryAfter : nil
        )
    }

    /// Runs `operation` if the breaker admits it, and records the outcome.
    /// Throws `CircuitOpenError` without running it otherwise. The operation runs in the
    /// caller's isolation; only the bookkeeping hops onto the breaker.
    public func run<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ operation: () async throws -> T
    ) async throws -> T {
        let permit = try await admit()
        do {
            let value = try await operation()
            await recordSuccess(permit)
            return value
        } catch {
            await recordFailure(permit, error)
            throw error
        }
    }

    private func admit() throws(CircuitOpenError) -> Permit {
        let time = now()
        switch state {
        case .closed:
            return Permit(generation: generation, isTrial: false)
        case .open:
            let reopensAt = (openedAt ?? time) + configuration.openDuration
            guard time >= reopensAt else {
                throw CircuitOpenError(provider: provider, retryAfter: reopensAt - time)
            }
            transition(to: .halfOpen, at: time)
            trialInFlight = true
            return Permit(generation: generation, isTrial: true)
        case .halfOpen:
            guard !trialInFlight else {
                throw CircuitOpenError(provider: provider, retryAfter: configuration.trialRetryAfter)
            }
            trialInFlight = true
            return Permit(generation: generation, isTrial: true)
        }
    }

    private func recordSuccess(_ permit: Permit) {
        guard permit.generation == generation else { return }
        switch state {
        case .closed:
            failureTimes.removeAll()
        case .halfOpen where permit.isTrial:
            trialInFlight = false
            failureTimes.removeAll()
            openedAt = nil
            transition(to: .closed, at: now())
        case .halfOpen, .open:
            break
        }
    }

    private func recordFailure(_ permit: Permit, _ error: any Error) {
        guard permit.generation == generation else { return }
        guard countsAsFailure(error) else {
            // A trial that ended without a verdict (e.g. cancelled) frees the slot for the next caller.
            if permit.isTrial, state == .halfOpen { trialInFlight = false }
            return
        }
        let time = now()
        switch state {
        case .closed:
            failureTimes.removeAll { time - $0 > configuration.failureWindow }
            failureTimes.append(time)
            if failureTimes.count >= configuration.failureThreshold { open(at: time) }
        case .halfOpen where permit.isTrial:
            trialInFlight = false
            failureTimes.append(time)
            open(at: time)
        case .halfOpen, .open:
            break
        }
    }

    private func open(at time: ContinuousClock.Instant) {
        openedAt = time
        transition(to: .open, at: time)
    }

    private func transition(to newState: State, at time: ContinuousClock.Instant) {
        let oldState = state
        guard oldState != newState else { return }
        state = newState
        generation &+= 1
        let change = StateChange(
            provider: provider, from: oldState, to: newState, at: time, consecutiveFailures: failureTimes.count
        )
        let metadata: Logger.Metadata = [
            "provider": "\(provider)", "from": "\(oldState.rawValue)", "to": "\(newState.rawValue)",
            "consecutive_failures": "\(failureTimes.count)",
        ]
        if newState == .open {
            logger.warning("circuit breaker opened", metadata: metadata)
        } else {
            logger.info("circuit breaker state changed", metadata: metadata)
        }
        onStateChange?(change)
    }
}
