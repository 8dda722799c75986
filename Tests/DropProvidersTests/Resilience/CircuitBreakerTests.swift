@testable import DropProviders
import Foundation
import DropTestTools
import Testing

@Suite("CircuitBreaker")
struct CircuitBreakerTests {
    struct Boom: Error {}

    let time = StepClock()

    func makeBreaker(onChange: (@Sendable (CircuitBreaker.StateChange) -> Void)? = nil) -> CircuitBreaker {
        let time = self.time
        return CircuitBreaker(provider: "test-bank", now: { time.now() }, onStateChange: onChange)
    }

    func fail(_ breaker: CircuitBreaker) async {
        await #expect(throws: Boom.self) { try await breaker.run { () async throws -> Int in throw Boom() } }
    }

    @Test("opens at exactly the third failure within 60 s")
    func opensAtThirdFailure() async throws {
        let breaker = makeBreaker()
        await fail(breaker)
        time.advance(by: .seconds(20))
        await fail(breaker)
        #expect(await breaker.snapshot.state == .closed)
        #expect(await breaker.snapshot.consecutiveFailures == 2)

        time.advance(by: .seconds(40)) // third failure exactly 60 s after the first
        await fail(breaker)
        let snapshot = await breaker.snapshot
        #expect(snapshot.state == .open)
        #expect(snapshot.consecutiveFailures == 3)
        #expect(snapshot.openedAt == time.now())
        #expect(snapshot.retryAfter == .seconds(60))
    }

    @Test("failures spread over more than 60 s do not open it")
    func spreadFailuresStayClosed() async throws {
        let breaker = makeBreaker()
        await fail(breaker)           // t = 0
        time.advance(by: .seconds(40))
        await fail(breaker)           // t = 40
        time.advance(by: .seconds(30))
        await fail(breaker)           // t = 70: the first has left the window
        #expect(await breaker.snapshot.state == .closed)
        #expect(await breaker.snapshot.consecutiveFailures == 2)

        time.advance(by: .seconds(30))
        await fail(breaker)           // t = 100: 40, 70, 100 are within 60 s
        #expect(await breaker.snapshot.state == .open)
    }

    @Test("a success in between resets the count")
    func successResets() async throws {
        let breaker = makeBreaker()
        await fail(breaker)
        await fail(breaker)
        #expect(try await breaker.run { 42 } == 42)
        await fail(breaker)
        await fail(breaker)
        #expect(await breaker.snapshot.state == .closed)
    }

    @Test("errors that say nothing about the provider do not count")
    func clientErrorsDoNotCount() async throws {
        let breaker = makeBreaker()
        for _ in 0..<5 {
            await #expect(throws: ProviderError.self) {
                try await breaker.run { () async throws -> Int in
                    throw ProviderError.http(provider: "test-bank", status: 404, body: "")
                }
            }
            await #expect(throws: CancellationError.self) {
                try await breaker.run { () async throws -> Int in throw CancellationError() }
            }
        }
        #expect(await breaker.snapshot.state == .closed)
        #expect(await breaker.snapshot.consecutiveFailures == 0)
    }

    @Test("fails fast while open, with the time left")
    func failsFastWhileOpen() async throws {
        let breaker = makeBreaker()
        for _ in 0..<3 { await fail(breaker) }
        let calls = CallCounter()
        time.advance(by: .seconds(59))
        let error = await #expect(throws: CircuitOpenError.self) {
            try await breaker.run { calls.increment() }
        }
        #expect(error?.retryAfter == .seconds(1))
        #expect(error?.provider == "test-bank")
        #expect(calls.value == 0)
    }

    @Test("after 60 s exactly one trial goes through; success closes")
    func singleTrialThenClose() async throws {
        let breaker = makeBreaker()
        for _ in 0..<3 { await fail(breaker) }
        time.advance(by: .seconds(60))

        let (gate, openGate) = AsyncStream<Void>.makeStream()
        let (started, markStarted) = AsyncStream<Void>.makeStream()
        let trial = Task {
            try await breaker.run { () async -> Int in
                markStarted.yield()
                for await _ in gate { break }
                return 1
            }
        }
        for await _ in started { break }
        #expect(await breaker.snapshot.state == .halfOpen)

        // While the trial runs, everyone else is turned away.
        let calls = CallCounter()
        await #expect(throws: CircuitOpenError.self) { try await breaker.run { calls.increment() } }
        #expect(calls.value == 0)

        openGate.yield()
        openGate.finish()
        #expect(try await trial.value == 1)
        #expect(await breaker.snapshot.state == .closed)
        #expect(try await breaker.run { calls.increment() } == 1)
    }

    @Test("a failed trial re-opens for another 60 s")
    func failedTrialReopens() async throws {
        let breaker = makeBreaker()
        for _ in 0..<3 { await fail(breaker) }
        time.advance(by: .seconds(60))
        await fail(breaker) // the trial
        var snapshot = await breaker.snapshot
        #expect(snapshot.state == .open)
        #expect(snapshot.openedAt == time.now())

        time.advance(by: .seconds(59))
        let error = await #expect(throws: CircuitOpenError.self) { try await breaker.run { 0 } }
        #expect(error?.retryAfter == .seconds(1))

        time.advance(by: .seconds(1))
        #expect(try await breaker.run { 7 } == 7)
        snapshot = await breaker.snapshot
        #expect(snapshot.state == .closed)
        #expect(snapshot.openedAt == nil)
    }

    @Test("a trial ending without a verdict frees the slot")
    func cancelledTrialFreesSlot() async throws {
        let breaker = makeBreaker()
        for _ in 0..<3 { await fail(breaker) }
        time.advance(by: .seconds(60))
        await #expect(throws: CancellationError.self) {
            try await breaker.run { () async throws -> Int in throw CancellationError() }
        }
        #expect(await breaker.snapshot.state == .halfOpen)
        #expect(try await breaker.run { 5 } == 5)
        #expect(await breaker.snapshot.state == .closed)
    }

    @Test("reports every state change")
    func reportsStateChanges() async throws {
        let changes = BreakerChangeLog()
        let breaker = makeBreaker { changes.append($0) }
        for _ in 0..<3 { await fail(breaker) }
        time.advance(by: .seconds(60))
        await fail(breaker)
        time.advance(by: .seconds(60))
        _ = try await breaker.run { 1 }
        #expect(changes.transitions == [
            [.closed, .open], [.open, .halfOpen], [.halfOpen, .open], [.open, .halfOpen], [.halfOpen, .closed],
        ])
        #expect(changes.all.allSatisfy { $0.provider == "test-bank" })
        #expect(changes.all.first?.consecutiveFailures == 3)
    }

    @Test("results of calls admitted before the breaker opened are ignored")
    func staleResultsIgnored() async throws {
        let breaker = makeBreaker()
        let (gate, openGate) = AsyncStream<Void>.makeStream()
        let (started, markStarted) = AsyncStream<Void>.makeStream()
        let slow = Task {
            try await breaker.run { () async -> Int in
                markStarted.yield()
                for await _ in gate { break }
                return 1
            }
        }
        for await _ in started { break }
        for _ in 0..<3 { await fail(breaker) }
        openGate.yield()
        openGate.finish()
        _ = try await slow.value
        // The slow success belongs to the closed period before; the breaker stays open.
        #expect(await breaker.snapshot.state == .open)
    }
}

/// Collects breaker state changes from the actor's callback.
final class BreakerChangeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var changes: [CircuitBreaker.StateChange] = []

    func append(_ change: CircuitBreaker.StateChange) {
        lock.lock()
        changes.append(change)
        lock.unlock()
    }

    var all: [CircuitBreaker.StateChange] {
        lock.lock()
        defer { lock.unlock() }
        return changes
    }

    var transitions: [[CircuitBreaker.State]] { all.map { [$0.from, $0.to] } }
}
