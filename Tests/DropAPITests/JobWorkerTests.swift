import DropAPI
@_spi(FaultInjection) import DropStore
@_spi(FaultInjection) import DropTestSupport
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing

@Suite("Job worker")
struct JobWorkerTests {
    @Test func runsRegisteredJobsAndRetriesFailures() async throws {
        try await TestDatabase.with { database in
            let clock = TestClock()
            let services = try await TestApp.services(database: database, clock: clock)
            let seen = NIOLockedValueBox<[String]>([])
            services.jobs.register("greet") { job in seen.withLockedValue { $0.append(job.payload) } }
            let failures = NIOLockedValueBox(0)
            services.jobs.register("flaky") { _ in
                struct Flake: Error {}
                if failures.withLockedValue({ $0 += 1; return $0 }) == 1 { throw Flake() }
            }
            let queue = JobQueue(database: database)
            try await queue.enqueue(kind: "greet", payload: "hei", runAt: clock.date, now: clock.date)
            try await queue.enqueue(kind: "flaky", runAt: clock.date, now: clock.date)
            let worker = JobWorker(services: services)
            while try await worker.runOnce() {}
            #expect(seen.withLockedValue { $0 } == ["hei"])
            #expect(failures.withLockedValue { $0 } == 1)
            clock.advance(11)  // past the first backoff
            #expect(try await worker.runOnce())
            #expect(failures.withLockedValue { $0 } == 2)
            #expect(try await worker.runOnce() == false)
        }
    }

    /// The handler finished (an email went out) and the write marking it done was lost: the job is not
    /// failed and run again after its backoff. The worker tries the write again and the job runs once.
    @Test func aJobWhoseCompletionWriteFailsIsNotRunAgain() async throws {
        let faults = DatabaseFaults()
        try await TestDatabase.with(faults: faults) { database in
            let clock = TestClock()
            let services = try await TestApp.services(database: database, clock: clock)
            let sent = NIOLockedValueBox(0)
            services.jobs.register("mail-once") { _ in sent.withLockedValue { $0 += 1 } }
            let queue = JobQueue(database: database)
            try await queue.enqueue(kind: "mail-once", runAt: clock.date, now: clock.date)
            let worker = JobWorker(services: services)
            faults.failStatement(containing: "SET status = 'done'", .before)
            while try await worker.runOnce() {}
            #expect(faults.fired == 1)
            clock.advance(3600)
            while try await worker.runOnce() {}
            #expect(sent.withLockedValue { $0 } == 1)
            let status = try await database.withConnection { db in
                try await db.raw("SELECT status FROM jobs WHERE kind = 'mail-once'").first()?.decode(column: "status", as: String.self)
            }
            #expect(status == "done")
        }
    }

    /// During a rolling deploy an older worker meets a kind only the newer build knows: it puts it back, uncounted,
    /// for a minute, however often it meets it, and a worker that knows the kind runs it.
    @Test func aKindThisWorkerDoesNotKnowWaitsForOneThatDoes() async throws {
        try await TestDatabase.with { database in
            let clock = TestClock()
            let services = try await TestApp.services(database: database, clock: clock)
            let queue = JobQueue(database: database)
            try await queue.enqueue(kind: "from-a-newer-build", runAt: clock.date, maxAttempts: 2, now: clock.date)
            let worker = JobWorker(services: services)
            func job() async throws -> (status: String, attempts: Int, runAt: Date) {
                let row = try #require(try await database.withConnection { db in
                    try await db.raw("SELECT status, attempts, run_at FROM jobs WHERE kind = 'from-a-newer-build'").first()
                })
                return (try row.decode(column: "status", as: String.self), try row.decode(column: "attempts", as: Int.self),
                        try row.decode(column: "run_at", as: Date.self))
            }
            for _ in 0..<5 {
                #expect(try await worker.runOnce())
                let waiting = try await job()
                #expect(waiting.status == "queued" && waiting.attempts == 0)
                #expect(abs(waiting.runAt.timeIntervalSince(clock.date) - 60) < 1)
                #expect(try await worker.runOnce() == false)  // not before the minute is up
                clock.advance(61)
            }
            let ran = NIOLockedValueBox(0)
            services.jobs.register("from-a-newer-build") { _ in ran.withLockedValue { $0 += 1 } }
            #expect(try await worker.runOnce())
            #expect(ran.withLockedValue { $0 } == 1)
            #expect(try await job().status == "done")
        }
    }

    /// A worker of a new release started before `drop migrate` finished (it stopped on a busy table, or the deploy
    /// went on without it): it runs nothing, recurring jobs neither, until the database has every migration it knows.
    @Test func aWorkerRunsNothingUntilTheDatabaseHasItsMigrations() async throws {
        try await TestDatabase.with(migrate: false) { database in
            _ = try await Migrator(migrations: Array(Migration.all.dropLast())).migrate(database)
            let clock = TestClock()
            let services = try await TestApp.services(database: database, clock: clock)
            let seen = NIOLockedValueBox<[String]>([])
            services.jobs.register("greet") { job in seen.withLockedValue { $0.append(job.payload) } }
            try await JobQueue(database: database).enqueue(kind: "greet", payload: "hei", runAt: clock.date, now: clock.date)
            let worker = JobWorker(services: services)
            #expect(try await worker.runOnce() == false)
            #expect(try await worker.runOnce() == false)
            let jobs = try await database.withConnection { db in
                try await db.raw("SELECT kind, status, attempts FROM jobs").all().map {
                    "\(try $0.decode(column: "kind", as: String.self)) \(try $0.decode(column: "status", as: String.self)) \(try $0.decode(column: "attempts", as: Int.self))"
                }
            }
            #expect(jobs == ["greet queued 0"])
            _ = try await Migrator().migrate(database)
            while try await worker.runOnce() {}
            #expect(seen.withLockedValue { $0 } == ["hei"])
        }
    }

    @Test func aLongJobKeepsItsLeaseWhileItRuns() async throws {
        try await TestDatabase.with { database in
            let clock = TestClock()
            let services = try await TestApp.services(database: database, clock: clock)
            let queue = JobQueue(database: database)
            let takenOver = NIOLockedValueBox<Bool?>(nil)
            services.jobs.register("long") { _ in
                // The run outlasts its 3 s lease; the heartbeat (every second) renews it meanwhile.
                // Wait (up to 20 s on a loaded machine) for a renewal past the moved clock, then try to steal it.
                clock.advance(10)
                for _ in 0..<200 {
                    let lockedUntil = try await database.withConnection { db in
                        try await db.raw("SELECT locked_until FROM jobs WHERE kind = 'long'").first()?.decode(column: "locked_until", as: Date?.self)
                    }
                    if let lockedUntil, lockedUntil > clock.date { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let stolen = try await queue.claim(worker: "intruder", now: clock.date)
                takenOver.withLockedValue { $0 = stolen != nil }
            }
            try await queue.enqueue(kind: "long", runAt: clock.date, now: clock.date)
            #expect(try await JobWorker(services: services, lease: 3).runOnce())
            #expect(takenOver.withLockedValue { $0 } == false)
            let status = try await database.withConnection { db in
                try await db.raw("SELECT status FROM jobs WHERE kind = 'long'").first()?.decode(column: "status", as: String.self)
            }
            #expect(status == "done")
        }
    }

    /// Services with one recurring job, `tick`, every minute, counting its runs in `runs`.
    static func ticking(
        _ body: (_ services: AppServices, _ clock: TestClock, _ runs: NIOLockedValueBox<Int>, _ database: Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with { database in
            let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
            let services = try await TestApp.services(database: database, clock: clock)
            let runs = NIOLockedValueBox(0)
            services.jobs.recurring("tick", every: 60) { _ in runs.withLockedValue { $0 += 1 } }
            try await body(services, clock, runs, database)
        }
    }

    @Test func recurringJobsRunOncePerSlotAcrossWorkers() async throws {
        try await Self.ticking { services, clock, runs, _ in
            let workers = [JobWorker(services: services), JobWorker(services: services)]
            for worker in workers { while try await worker.runOnce() {} }
            #expect(runs.withLockedValue { $0 } == 1)
            clock.advance(60)
            for worker in workers { while try await worker.runOnce() {} }
            #expect(runs.withLockedValue { $0 } == 2)
        }
    }

    /// A worker writes each recurring slot once, not on every poll: with the slot's job row gone
    /// (purged), polling again within the slot inserts nothing and runs nothing.
    @Test func aWorkerEnqueuesEachRecurringSlotOnceNotEveryPoll() async throws {
        try await Self.ticking { services, clock, runs, database in
            let worker = JobWorker(services: services)
            while try await worker.runOnce() {}
            try await database.singleWrite { try await $0.raw("DELETE FROM jobs WHERE kind = 'tick'").run() }
            for _ in 0..<5 { clock.advance(5); while try await worker.runOnce() {} }
            let rows = try await database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'tick'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(rows == 0 && runs.withLockedValue { $0 } == 1)
            clock.advance(60)
            while try await worker.runOnce() {}
            #expect(runs.withLockedValue { $0 } == 2)
        }
    }
}
