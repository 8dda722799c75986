import Foundation

/// Test doubles for resilience code. A clock tests move by hand, so breaker timing is checked without sleeping.
public final class StepClock: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var offset: Duration = .zero

    public init() {}

    public func now() -> ContinuousClock.Instant {
        lock.lock()
        defer { lock.unlock() }
        return start + offset
    }

    public func advance(by duration: Duration) {
        lock.lock()
        offset += duration
        lock.unlock()
    }
}

/// Records requested sleeps and returns at once.
public final class InstantSleeper: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    public init() {}

    public var delays: [Duration] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    public func sleep(_ duration: Duration) async throws {
        lock.withLock { recorded.append(duration) }
    }
}

/// Counts calls from concurrent closures.
public final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    public init() {}

    public var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    @discardableResult
    public func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
