import DropCore
import Foundation
import SQLKit

/// A unit of background work, claimed by exactly one worker at a time.
public struct Job: Sendable, Equatable {
    public let id: String
    public let kind: String
    public let payload: String
    public let attempts: Int
    public let maxAttempts: Int
    /// The worker whose claim this is: `complete`, `fail` and `renew` act only while it still holds the job.
    public let lockedBy: String
    /// How long the claim holds without a heartbeat (what `confirmHeld` extends it by).
    public var lease: TimeInterval = 60
}

/// The job is no longer this run's: its lease lapsed (the process was paused, a VM frozen, past the lease) and
/// another worker claimed it. The run stops where it stands, as a crash would have stopped it; the new holder does the work.
public struct JobLeaseLost: Error, Sendable {
    public let jobId: String
    public init(jobId: String) { self.jobId = jobId }
}

/// The `jobs` table as a queue. Any number of `drop serve`/`drop worker` processes may claim from it:
/// on Postgres a claim skips rows other workers have locked; on SQLite the single writer serializes.
/// A claimed job holds a lease; a worker that dies lets the lease lapse and another picks the job up.
public struct JobQueue: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Enqueues on `db`, so a job can be part of the same transaction as the change that needs it.
    /// With a `dedupeKey`, enqueueing the same key again is a no-op (for schedules and retries).
    /// True when queued; false when a job with `dedupeKey` was there already.
    @discardableResult
    public static func enqueue(
        kind: String, payload: String = "{}", runAt: Date, maxAttempts: Int = 5,
        dedupeKey: String? = nil, now: Date, on db: any SQLDatabase
    ) async throws -> Bool {
        try await db.raw("""
            INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, created_at, updated_at)
            VALUES (\(bind: RecordID.make()), \(bind: kind), \(bind: payload), 'queued', \(bind: runAt),
                    0, \(bind: maxAttempts), \(bind: dedupeKey), \(bind: now), \(bind: now))
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """).first() != nil
    }

    public func enqueue(kind: String, payload: String = "{}", runAt: Date, maxAttempts: Int = 5, dedupeKey: String? = nil, now: Date) async throws {
        try await database.withConnection { db in
            _ = try await Self.enqueue(kind: kind, payload: payload, runAt: runAt, maxAttempts: maxAttempts, dedupeKey: dedupeKey, now: now, on: db)
        }
    }

    /// How many runs a job whose worker died may start: its attempts, and at least two, so a job of one attempt
    /// (each recurring slot) cut short by a dead worker is taken over once. Past that, the run that died
    /// likely killed its process (a poison job): another worker taking it over would die the same way, for ever.
    static let takeoverLimit = "CASE WHEN max_attempts < 2 THEN 2 ELSE max_attempts END"

    /// What `last_error` says of a job failed because its worker died on its last attempt.
    public static let leaseLapsedError = "lease lapsed on the last attempt: the worker stopped or crashed while running it"

    /// Claims the next due job (or one whose previous worker's lease ran out while it has attempts left), or nil if none.
    /// A lapsed job with none left is failed first and raises `job_lease_lapsed`, in the same transaction.
    public func claim(worker: String, now: Date, lease: TimeInterval = 60) async throws -> Job? {
        let lockedUntil = now.addingTimeInterval(lease)
        return try await database.transaction { db in
            try await Self.failLapsedWithoutAttemptsLeft(now: now, on: db)
            let row = try await db.raw("""
                UPDATE jobs SET status = 'running', locked_by = \(bind: worker), locked_until = \(bind: lockedUntil),
                       attempts = attempts + 1, updated_at = \(bind: now)
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE (status = 'queued' AND run_at <= \(bind: now))
                       OR (status = 'running' AND locked_until < \(bind: now) AND attempts < \(unsafeRaw: Self.takeoverLimit))
                    ORDER BY run_at
                    LIMIT 1\(unsafeRaw: database.dialect.skipLockedClause)
                )
                RETURNING id, kind, payload, attempts, max_attempts
                """).first()
            guard let row else { return nil }
            return Job(
                id: try row.decode(column: "id", as: String.self),
                kind: try row.decode(column: "kind", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                lockedBy: worker,
                lease: lease
            )
        }
    }

    /// Jobs whose worker died on their last attempt: failed, each raising an alert (its kind and attempts; the
    /// payload may name a customer). On PostgreSQL a second worker doing the same waits for the row and then finds it failed.
    static func failLapsedWithoutAttemptsLeft(now: Date, on db: any SQLDatabase) async throws {
        let lapsed = try await db.raw("""
            UPDATE jobs SET status = 'failed', locked_by = NULL, locked_until = NULL, last_error = \(bind: leaseLapsedError),
                   updated_at = \(bind: now)
            WHERE status = 'running' AND locked_until < \(bind: now) AND attempts >= \(unsafeRaw: takeoverLimit)
            RETURNING id, kind, attempts
            """).all()
        for row in lapsed {
            let id = try row.decode(column: "id", as: String.self)
            let details = LeaseLapsed(kind: try row.decode(column: "kind", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self))
            try await OperationsAlertRepository.raise(.jobLeaseLapsed, entityType: "job", entityId: id, details: details,
                                                      dedupeKey: "job_lease_lapsed:\(id)", at: now, on: db)
        }
    }

    /// `job_lease_lapsed`'s details: which kind of job, after how many runs.
    struct LeaseLapsed: Encodable {
        let kind: String
        let attempts: Int
    }

    /// Extends the lease of a job still running (a heartbeat). - Returns: false when the job is
    /// no longer this worker's (its lease ran out and another worker took it).
    @discardableResult
    public func renew(_ job: Job, now: Date, lease: TimeInterval = 60) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE jobs SET locked_until = \(bind: now.addingTimeInterval(lease)), updated_at = \(bind: now)
                WHERE id = \(bind: job.id) AND status = 'running' AND locked_by = \(bind: job.lockedBy)
                RETURNING id
                """).first() != nil
        }
    }

    /// A fence before a call to an outside party that a second call would repeat (an email sent): renews the lease,
    /// or throws `JobLeaseLost` when another worker holds the job now. A run paused past its lease and resumed
    /// learns here that its job was taken over, instead of doing what the new holder did (or is doing) a second time.
    public func confirmHeld(_ job: Job, now: Date) async throws {
        guard try await renew(job, now: now, lease: job.lease) else { throw JobLeaseLost(jobId: job.id) }
    }

    /// Marks the run done. - Returns: false when another worker holds the job now (this run's
    /// lease lapsed); that run is left alone.
    @discardableResult
    public func complete(_ job: Job, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: job.id) AND status = 'running' AND locked_by = \(bind: job.lockedBy)
                RETURNING id
                """).first() != nil
        }
    }

    /// Gives a claimed job back unrun, its attempt not counted, to be claimed again from `runAt`: a worker with no
    /// handler for its kind (an older build during a rolling deploy) leaves it to one that has. Only while this worker holds it.
    @discardableResult
    public func putBack(_ job: Job, runAt: Date, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE jobs SET status = 'queued', run_at = \(bind: runAt), attempts = attempts - 1,
                       locked_by = NULL, locked_until = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: job.id) AND status = 'running' AND locked_by = \(bind: job.lockedBy)
                RETURNING id
                """).first() != nil
        }
    }

    /// Records a failure; the job runs again after an exponential backoff until its attempts run out.
    /// Only while this worker still holds the job, like `complete`.
    @discardableResult
    public func fail(_ job: Job, error: String, now: Date) async throws -> Bool {
        let exhausted = job.attempts >= job.maxAttempts
        let retryAt = now.addingTimeInterval(Self.backoff(afterAttempt: job.attempts))
        return try await database.withConnection { db in
            try await db.raw("""
                UPDATE jobs SET status = \(bind: exhausted ? "failed" : "queued"), run_at = \(bind: retryAt),
                       locked_by = NULL, locked_until = NULL, last_error = \(bind: String(error.prefix(500))),
                       updated_at = \(bind: now)
                WHERE id = \(bind: job.id) AND status = 'running' AND locked_by = \(bind: job.lockedBy)
                RETURNING id
                """).first() != nil
        }
    }

    /// 10 s, 20 s, 40 s … capped at one hour.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 10 * pow(2, Double(max(0, attempt - 1))))
    }

    /// Finished jobs older than `before` are removed; failed ones are kept for inspection until `failedBefore`
    /// (their payloads may name a customer, an email address even, so not for ever).
    public func purgeFinished(before: Date, failedBefore: Date) async throws {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM jobs WHERE status = 'done' AND updated_at < \(bind: before)").run()
            try await db.raw("DELETE FROM jobs WHERE status = 'failed' AND updated_at < \(bind: failedBefore)").run()
        }
    }

    /// At a customer's erasure, the jobs whose payload names them (`"userId":"…"`, as every job about a
    /// customer writes it): a queued email to them, or a failed notice's copy of the address they had,
    /// must not outlive the account. One running at this moment is left to its worker.
    public static func forget(userId: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM jobs WHERE status <> 'running' AND payload LIKE \(bind: "%\"userId\":\"\(userId)\"%")").run()
    }
}
