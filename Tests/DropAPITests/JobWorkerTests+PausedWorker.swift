import DropAPI
import DropStore
import DropTestSupport
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing

extension JobWorkerTests {
    /// A worker stalls past its lease and another worker, whose clock has moved on, takes its job over and finishes it.
    /// The stalled run must not carry on beside its successor (a batch of payouts or returns asked of the partner a
    /// second time, each): its next heartbeat finds the job taken and stops it, and it counts as neither done nor failed.
    @Test func aRunWhoseJobWasTakenOverStopsAtItsNextHeartbeat() async throws {
        try await TestDatabase.with { database in
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            // The stalled worker's view of time stays at the claim; the other's is past the 3 s lease.
            let stalled = try await TestApp.services(database: database, clock: TestClock(start))
            let successor = try await TestApp.services(database: database, clock: TestClock(start.addingTimeInterval(10)))
            let started = NIOLockedValueBox(false)
            let outcome = NIOLockedValueBox<String?>(nil)
            stalled.jobs.register("long") { _ in
                started.withLockedValue { $0 = true }
                do {
                    for _ in 0..<200 { try await Task.sleep(for: .milliseconds(100)) }  // up to 20 s of work
                    outcome.withLockedValue { $0 = "carried on" }
                } catch is CancellationError {
                    outcome.withLockedValue { $0 = "stopped" }
                    throw CancellationError()
                }
            }
            let successorRan = NIOLockedValueBox(0)
            successor.jobs.register("long") { _ in successorRan.withLockedValue { $0 += 1 } }
            try await JobQueue(database: database).enqueue(kind: "long", runAt: start, now: start)
            let stalledRun = Task { try await JobWorker(services: stalled, lease: 3).runOnce() }
            for _ in 0..<200 where !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
            #expect(started.withLockedValue { $0 })
            // The other worker finds the lease lapsed, takes the job over and finishes it.
            let worker = JobWorker(services: successor)
            while try await worker.runOnce() {}
            #expect(successorRan.withLockedValue { $0 } == 1)
            #expect(try await stalledRun.value)
            #expect(outcome.withLockedValue { $0 } == "stopped")
            let row = try #require(try await database.withConnection { db in
                try await db.raw("SELECT status, attempts, last_error FROM jobs WHERE kind = 'long'").first()
            })
            #expect(try row.decode(column: "status", as: String.self) == "done")
            #expect(try row.decode(column: "attempts", as: Int.self) == 2)
            #expect(try row.decode(column: "last_error", as: String?.self) == nil)
            let counted = stalled.metrics.exposition()
            #expect(counted.contains(#"outcome="lease_lost""#))
            #expect(!counted.contains(#"outcome="failed""#))
        }
    }
}

extension JobWorkerTests {
    /// Services whose clock is the host's moved by `offset`, comparing it with the database's as production does.
    static func services(database: Database, clock: TestClock) async throws -> AppServices {
        try await TestApp.services(database: database, clock: clock, config: try TestApp.config(["JOB_MAX_CLOCK_SKEW_SECONDS": "10"]))
    }

    /// Two instances whose clocks differ by two minutes (a VM resumed from a pause runs behind until NTP catches up).
    /// A worker on the right clock is running a job; the one whose clock runs ahead must not find its lease lapsed and
    /// run the job beside it, and the one whose clock lags must not claim one, since its lease would look lapsed to the
    /// others at once. Both claim nothing until their clock agrees with the database's; the worker on time runs jobs.
    @Test func aWorkerWhoseClockIsNotTheDatabasesClaimsNothing() async throws {
        try await TestDatabase.with { database in
            let onTimeClock = TestClock(Date())
            let onTime = try await Self.services(database: database, clock: onTimeClock)
            let ahead = try await Self.services(database: database, clock: TestClock(Date().addingTimeInterval(120)))
            let behind = try await Self.services(database: database, clock: TestClock(Date().addingTimeInterval(-120)))
            let runs = NIOLockedValueBox<[String]>([])
            for (name, services) in [("on time", onTime), ("ahead", ahead), ("behind", behind)] {
                services.jobs.register("long") { _ in runs.withLockedValue { $0.append(name) } }
            }
            let queue = JobQueue(database: database)
            let now = Date()
            try await queue.enqueue(kind: "long", runAt: now.addingTimeInterval(-1), now: now)
            // A worker on time holds the job, its 60 s lease renewed by its heartbeat.
            let held = try #require(try await queue.claim(worker: "worker-on-time", now: Date(), lease: 60))
            #expect(try await JobWorker(services: ahead).runOnce() == false)
            #expect(runs.withLockedValue { $0 }.isEmpty)
            #expect(try await queue.complete(held, now: Date()))
            // A new job: the worker behind doesn't claim it either; the one on time does.
            try await queue.enqueue(kind: "long", runAt: now.addingTimeInterval(-200), now: now)
            #expect(try await JobWorker(services: behind).runOnce() == false)
            onTimeClock.advance(Date().timeIntervalSince(onTimeClock.date))  // a test clock stands still; the host's doesn't
            #expect(try await JobWorker(services: onTime).runOnce())
            #expect(runs.withLockedValue { $0 } == ["on time"])
            #expect(ahead.metrics.exposition().contains("drop_worker_clock_offset_seconds 1"))  // about 120
            #expect(behind.metrics.exposition().contains("drop_worker_clock_offset_seconds -1"))
        }
    }
}
