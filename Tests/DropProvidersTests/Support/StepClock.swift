import Foundation

/// A clock tests move by hand, so breaker timing is checked without sleeping.
final class StepClock: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var offset: Duration = .zero

    func now() -> ContinuousClock.Instant {
        lock.lock()
        defer { lock.unlock() }
        return start + offset
    }

    func advance(by duration: Duration) {
        lock.lock()
        offset += duration
        lock.unlock()
    }
}

/// Records requested sleeps and returns at once.
final class InstantSleeper: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var delays: [Duration] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func sleep(_ duration: Duration) async throws {
        lock.withLock { recorded.append(duration) }
    }
}

/// Counts calls from concurrent closures.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    @discardableResult
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
