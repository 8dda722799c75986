import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Job queue")
struct JobQueueTests {
    @Test func eachJobIsClaimedByExactlyOneWorker() async throws {
        try await TestDatabase.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            for index in 0..<30 {
                try await queue.enqueue(kind: "test", payload: #"{"n":\#(index)}"#, runAt: now, now: now)
            }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<3 {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await queue.claim(worker: "w\(worker)", now: now) {
                            mine.append(job.id)
                            try await queue.complete(job, now: now)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 30)
            #expect(Set(claimed).count == 30)
        }
    }

    @Test func futureJobsWaitAndFailedJobsBackOff() async throws {
        try await TestDatabase.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            try await queue.enqueue(kind: "later", runAt: now.addingTimeInterval(60), now: now)
            #expect(try await queue.claim(worker: "w", now: now) == nil)
            let job = try #require(try await queue.claim(worker: "w", now: now.addingTimeInterval(61)))
            #expect(job.attempts == 1)
            try await queue.fail(job, error: "boom", now: now.addingTimeInterval(61))
            // Backoff after the first attempt is 10 s.
            #expect(try await queue.claim(worker: "w", now: now.addingTimeInterval(65)) == nil)
            let retried = try #require(try await queue.claim(worker: "w", now: now.addingTimeInterval(72)))
            #expect(retried.id == job.id && retried.attempts == 2)
        }
    }

    @Test func anExpiredLeaseIsTakenOverAndExhaustedJobsStop() async throws {
        try await TestDatabase.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            try await queue.enqueue(kind: "once", runAt: now, maxAttempts: 2, now: now)
            let first = try #require(try await queue.claim(worker: "dies", now: now, lease: 30))
            #expect(try await queue.claim(worker: "other", now: now.addingTimeInterval(10)) == nil)
            let second = try #require(try await queue.claim(worker: "other", now: now.addingTimeInterval(31)))
            #expect(second.id == first.id && second.attempts == 2)
            try await queue.fail(second, error: "still broken", now: now.addingTimeInterval(31))
            #expect(try await queue.claim(worker: "other", now: now.addingTimeInterval(10_000)) == nil)
        }
    }

    /// A job that crashes its process never reaches `fail`: each takeover would crash the next worker, for ever. A lease
    /// that lapses on the last attempt fails the job instead, once, with an alert; a job of one attempt is taken over once.
    @Test func aJobWhoseWorkerDiesOnItsLastAttemptFailsWithAnAlert() async throws {
        try await TestDatabase.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            try await queue.enqueue(kind: "poison", payload: #"{"userId":"u-1"}"#, runAt: now, maxAttempts: 2, now: now)
            try await queue.enqueue(kind: "slot", runAt: now.addingTimeInterval(1), maxAttempts: 1, now: now)
            let poison = try #require(try await queue.claim(worker: "dies-1", now: now, lease: 30))
            let slot = try #require(try await queue.claim(worker: "dies-1", now: now.addingTimeInterval(1), lease: 30))
            // Both workers die; each job is taken over once.
            let poisonAgain = try #require(try await queue.claim(worker: "dies-2", now: now.addingTimeInterval(31), lease: 30))
            let slotAgain = try #require(try await queue.claim(worker: "survivor", now: now.addingTimeInterval(32), lease: 30))
            #expect(poisonAgain.id == poison.id && poisonAgain.attempts == 2 && slotAgain.id == slot.id && slotAgain.attempts == 2)
            #expect(try await queue.complete(slotAgain, now: now.addingTimeInterval(33)))
            // The poison job kills its second worker too: its lease lapses on its last attempt.
            let later = now.addingTimeInterval(62)
            #expect(try await queue.claim(worker: "w", now: later) == nil)
            #expect(try await queue.claim(worker: "w", now: later.addingTimeInterval(10_000)) == nil)
            let row = try #require(try await database.withConnection { db in
                try await db.raw("SELECT status, locked_by, last_error FROM jobs WHERE id = \(bind: poison.id)").first()
            })
            #expect(try row.decode(column: "status", as: String.self) == "failed")
            #expect(try row.decode(column: "locked_by", as: String?.self) == nil)
            #expect(try row.decode(column: "last_error", as: String.self) == JobQueue.leaseLapsedError)
            let alerts = try await database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            #expect(alerts.map(\.kind) == [.jobLeaseLapsed] && alerts.first?.entityId == poison.id && alerts.first?.entityType == "job")
            #expect(alerts.first?.details == #"{"attempts":2,"kind":"poison"}"#)
        }
    }

    @Test func aWorkerThatLostItsLeaseCannotFinishTheNewRun() async throws {
        try await TestDatabase.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            try await queue.enqueue(kind: "slow", runAt: now, now: now)
            let stale = try #require(try await queue.claim(worker: "slow-worker", now: now, lease: 30))
            let current = try #require(try await queue.claim(worker: "new-worker", now: now.addingTimeInterval(31), lease: 30))
            // The first worker wakes up late: it neither completes, fails nor renews the new run.
            #expect(try await queue.complete(stale, now: now.addingTimeInterval(32)) == false)
            #expect(try await queue.fail(stale, error: "late", now: now.addingTimeInterval(32)) == false)
            #expect(try await queue.renew(stale, now: now.addingTimeInterval(32), lease: 30) == false)
            let row = try await database.withConnection { db in
                try await db.raw("SELECT status, locked_by FROM jobs WHERE id = \(bind: current.id)").first()
            }
            #expect(try row?.decode(column: "status", as: String.self) == "running")
            #expect(try row?.decode(column: "locked_by", as: String.self) == "new-worker")
            // The holder renews (no third worker gets it) and completes.
            #expect(try await queue.renew(current, now: now.addingTimeInterval(55), lease: 30))
            #expect(try await queue.claim(worker: "third", now: now.addingTimeInterval(70)) == nil)
            #expect(try await queue.complete(current, now: now.addingTimeInterval(71)))
            #expect(try await queue.claim(worker: "third", now: now.addingTimeInterval(10_000)) == nil)
        }
    }

    @Test func dedupeKeysEnqueueOnce() async throws {
        try await TestDatabase.with { database in
            let queue = JobQueue(database: database)
            let now = Date()
            for _ in 0..<3 { try await queue.enqueue(kind: "tick", runAt: now, dedupeKey: "tick@1", now: now) }
            #expect(try await queue.claim(worker: "w", now: now) != nil)
            #expect(try await queue.claim(worker: "w", now: now) == nil)
        }
    }
}
