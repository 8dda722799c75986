@testable import DropAPI
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// A request's task is brought onto its connection's event loop when it runs on another one, and
/// left where it is off the loops (ADR 0021). Tests run on Swift's pool, so the loop a task is "on"
/// is given; the home loop is held busy so that a task that went through it is seen waiting.
@Suite("A request's own event loop")
struct EventLoopHomeTests {
    @Test func aTaskOnAnotherLoopGoesThroughItsOwn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let home = group.next(), other = group.next()
        #expect(home !== other)
        let gate = DispatchSemaphore(value: 0)
        home.execute { gate.wait() }
        let started = NIOLockedValueBox(false), arrived = NIOLockedValueBox(false)
        let task = Task {
            started.withLockedValue { $0 = true }
            await home.bringHome(from: other)
            arrived.withLockedValue { $0 = true }
        }
        // Off the loops, or already home: nothing to wait for, even with the home loop held.
        await home.bringHome(from: nil)
        await other.bringHome(from: other)
        while !started.withLockedValue({ $0 }) { await Task.yield() }
        try await Task.sleep(for: .milliseconds(20))  // room for a task that didn't wait to arrive
        #expect(arrived.withLockedValue { $0 } == false)
        gate.signal()
        await task.value
        #expect(arrived.withLockedValue { $0 })
        try await group.shutdownGracefully()
    }
}
