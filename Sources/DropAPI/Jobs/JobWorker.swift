import DropStore
import DropTelemetry
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Tracing

/// Claims and runs jobs until the process shuts down. Runs inside `drop serve` by default and
/// alone as `drop worker`; any number may run against one database.
public struct JobWorker: Service {
    let services: AppServices
    let queue: JobQueue
    let name: String
    let pollInterval: Duration
    /// How long a claim holds without a heartbeat; renewed every third of it while the handler runs.
    let lease: TimeInterval
    /// The slot this worker last enqueued for each recurring kind. A slot is enqueued once, not on
    /// every poll: otherwise each recurring kind is an INSERT every half second when idle, and one
    /// per job claimed when busy.
    private let enqueuedSlots = NIOLockedValueBox<[String: Int64]>([:])
    /// How far this process's clock may be from the database's before this worker claims nothing (nil: not checked).
    let maxClockSkew: TimeInterval?
    /// The last comparison of this process's clock with the database's: when (by this process's monotonic clock) and whether they agreed.
    private let clockCheck = NIOLockedValueBox<(at: ContinuousClock.Instant, agrees: Bool)?>(nil)
    /// The migrations this build knows that the database lacked when last asked; empty once it had them all
    /// (migrations only move forward: then it is not asked again).
    private let schemaBehind = NIOLockedValueBox<[Int]?>(nil)

    /// How long a job of a kind this build has no handler for waits before any worker claims it again.
    static let unknownKindDelay: TimeInterval = 60
    /// How often a worker compares its clock with the database's.
    static let clockCheckInterval: Duration = .seconds(60)

    public init(services: AppServices, pollInterval: Duration = .milliseconds(500), lease: TimeInterval? = nil) {
        self.services = services
        self.queue = JobQueue(database: services.database)
        self.name = "worker-" + UUID().uuidString.prefix(8).lowercased()
        self.pollInterval = pollInterval
        self.lease = lease ?? services.config.jobLease
        self.maxClockSkew = services.config.jobMaxClockSkew
    }

    public func run() async throws {
        services.logger.info("job worker started", metadata: ["worker": .string(name)])
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let worked = (try? await runOnce()) ?? false
                if !worked { try? await Task.sleep(for: pollInterval) }
            }
        } onGracefulShutdown: {
            services.logger.info("job worker stopping", metadata: ["worker": .string(name)])
        }
    }

    /// Schedules due recurring slots, then claims and runs at most one job. Returns whether it ran one.
    /// Runs nothing while the database lacks a migration this build knows (`schemaIsCurrent`).
    @discardableResult
    public func runOnce() async throws -> Bool {
        guard try await schemaIsCurrent(), try await clockAgreesWithDatabase() else { return false }
        let now = services.clock()
        for recurring in services.jobs.recurringJobs {
            let slot = Int64(now.timeIntervalSince1970 / recurring.every)
            guard enqueuedSlots.withLockedValue({ $0[recurring.kind] }) != slot else { continue }
            // Every worker enqueues each slot once; the dedupe key keeps it one job among them.
            try await queue.enqueue(kind: recurring.kind, runAt: now, maxAttempts: 1,
                                    dedupeKey: "\(recurring.kind)@\(slot)", now: now)
            enqueuedSlots.withLockedValue { $0[recurring.kind] = slot }
        }
        return try await runNext()
    }

    /// Claims and runs at most one due job, scheduling no recurring slot: what `runOnce` does after scheduling,
    /// and how a test follows one job through retries over a moved clock without every recurring job running too.
    func runNext() async throws -> Bool {
        guard let job = try await queue.claim(worker: name, now: services.clock(), lease: lease) else { return false }
        var logger = services.logger
        logger[metadataKey: "job_id"] = .string(job.id)
        logger[metadataKey: "job_kind"] = .string(job.kind)
        guard let handler = services.jobs.handler(for: job.kind) else {
            // A kind a newer build enqueued, met by an older worker during a rolling deploy: failing it would use up
            // its attempts (a security email never sent). It waits, unrun and uncounted, for a worker that knows it.
            logger.warning("no handler for job kind; put back for a worker that has one")
            try await putBack(job)
            return true
        }
        do {
            try await whileHoldingLease(job) { try await traced(job) { try await handler(job) } }
        } catch is JobLeaseLost {
            // Paused past its lease (SIGSTOP, a frozen VM, a long stall) and taken over meanwhile: this run stopped where
            // it stood, as a crash would have stopped it. Neither a failure nor an error: the job is its new worker's.
            logger.warning("job lease lost to another worker while running; this run stopped, left to its new worker")
            services.metrics.countJob(kind: job.kind, outcome: "lease_lost")
            return true
        } catch let newer as JobForANewerBuild {
            // A kind this build knows, about something only a newer build can read: as for an unknown kind.
            logger.warning("job names what this build can't read; put back for a worker that can", metadata: ["reason": .string(newer.reason)])
            try await putBack(job)
            return true
        } catch {
            logger.warning("job failed", metadata: ["attempt": .stringConvertible(job.attempts), "error_type": .string(String(describing: type(of: error)))])
            try await queue.fail(job, error: String(describing: type(of: error)), now: services.clock())
            services.metrics.countJob(kind: job.kind, outcome: "failed")
            services.telemetry.errors.report(ErrorReport(errorType: String(reflecting: type(of: error)), code: "JOB_FAILED", status: nil,
                                                         transaction: "job \(job.kind)", requestId: nil, traceId: nil, spanId: nil))
            return true
        }
        // The handler is done: whatever comes of writing so, the job is not failed. Marked failed, it ran again
        // after its backoff (an email sent twice), though nothing of it had failed.
        try await complete(job, logger: logger)
        services.metrics.countJob(kind: job.kind, outcome: "done")
        return true
    }

    /// Runs `work` while renewing the job's lease every third of it, so a long run keeps its job and no other worker
    /// starts it meanwhile. When a renewal finds the job taken (this process stalled past the lease and another worker
    /// claimed it), `work` is cancelled and `JobLeaseLost` thrown: a stale run does not carry on beside its new holder,
    /// asking the bank or the partner again for everything left in its batch. Handlers that call an outside party a
    /// second call would repeat (an email) also `confirmHeld` just before it, since a renewal may come too late.
    private func whileHoldingLease(_ job: Job, _ work: @escaping @Sendable () async throws -> Void) async throws {
        let queue = queue, services = services, lease = lease
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work() }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int64(lease * 1000 / 3)))
                    if Task.isCancelled { break }
                    // A renewal that fails (the database busy) is tried again; one that finds another holder is final.
                    if case .some(false) = try? await queue.renew(job, now: services.clock(), lease: lease) {
                        throw JobLeaseLost(jobId: job.id)
                    }
                }
            }
            defer { group.cancelAll() }
            // The first to finish decides: the work (done, or its error), or the heartbeat that found the job taken.
            try await group.next()
        }
    }

    /// Marks a job whose handler finished as done, tried again while the database doesn't answer (a dropped
    /// connection, a restart): the tries end well inside the lease, which keeps other workers off it meanwhile. Should every
    /// try fail, the lease lapses and another worker runs it again, as after a crash: at least once.
    private func complete(_ job: Job, logger: Logger) async throws {
        var attempt = 0
        while true {
            do {
                if try await !queue.complete(job, now: services.clock()) {
                    // Taken over after this run's lease lapsed, or an earlier try's answer was lost after it committed.
                    logger.warning("job not marked done by this run: its lease was lost, or an earlier try wrote it")
                }
                return
            } catch where attempt < Self.completionRetries.count {
                logger.warning("job done but not yet marked so; trying again", metadata: ["error_type": .string(String(describing: type(of: error)))])
                try await Task.sleep(for: Self.completionRetries[attempt])
                attempt += 1
            }
        }
    }

    /// The pauses between tries to mark a finished job done: about 15 s in all, well inside a lease.
    static let completionRetries: [Duration] = [.milliseconds(100), .milliseconds(400), .seconds(1.5), .seconds(4), .seconds(9)]

    /// Unrun and uncounted, for `unknownKindDelay`.
    private func putBack(_ job: Job) async throws {
        try await queue.putBack(job, runAt: services.clock().addingTimeInterval(Self.unknownKindDelay), now: services.clock())
        services.metrics.countJob(kind: job.kind, outcome: "unknown")
    }

    /// Whether the database has every migration this build knows. A worker of a new release started before
    /// `drop migrate` finished (it failed on a busy table, or the deploy didn't wait for it) would write columns
    /// that aren't there yet: a bank or the partner asked, and the answer's write failing after. It waits instead,
    /// asking again each poll, as `/ready` keeps a server of that release out of rotation (ADR 0030).
    private func schemaIsCurrent() async throws -> Bool {
        if schemaBehind.withLockedValue({ $0 })?.isEmpty == true { return true }
        let pending = try await Migrator().pending(services.database)
        let before = schemaBehind.withLockedValue { previous in
            defer { previous = pending }
            return previous
        }
        if !pending.isEmpty, pending != before {
            services.logger.warning("job worker waiting for drop migrate: the database lacks migrations this build needs", metadata: [
                "worker": .string(name), "pending": .string(pending.map(String.init).joined(separator: ",")),
            ])
        }
        return pending.isEmpty
    }

    /// Whether this process's clock is within `maxClockSkew` of the database's, asked at most every `clockCheckInterval`.
    /// Leases are stamped and compared with each process's own clock: a worker whose clock runs ahead by more than a lease
    /// would take over every job other workers are running (a second email, a second run beside the first, a live job failed
    /// as lapsed on its last attempt), and one whose clock lags would lose each job it claims at once. Either claims nothing
    /// until the clocks agree (a VM resumed from a pause often runs behind until NTP catches up); jobs wait for the others.
    private func clockAgreesWithDatabase() async throws -> Bool {
        guard let maxClockSkew else { return true }
        if let last = clockCheck.withLockedValue({ $0 }), ContinuousClock.now - last.at < Self.clockCheckInterval { return last.agrees }
        let offset = try await DatabaseClock.offset(of: services.clock, in: services.database)
        let agrees = abs(offset) <= maxClockSkew
        let agreedBefore = clockCheck.withLockedValue { previous in
            defer { previous = (ContinuousClock.now, agrees) }
            return previous?.agrees
        }
        services.metrics.setWorkerClockOffset(offset)
        if !agrees, agreedBefore != false {
            services.logger.error("job worker claims no job: this process's clock is not the database's", metadata: [
                "worker": .string(name), "offset_seconds": .stringConvertible(Int(offset.rounded())),
                "max_seconds": .stringConvertible(Int(maxClockSkew)),
            ])
        } else if agrees, agreedBefore == false {
            services.logger.notice("job worker's clock agrees with the database's again; claiming jobs", metadata: ["worker": .string(name)])
        }
        return agrees
    }

    /// A span per job when tracing is on, a new trace each: its database statements and provider calls are its children.
    @concurrent private func traced(_ job: Job, _ body: @concurrent () async throws -> Void) async throws {
        guard let tracer = services.telemetry.tracer else { return try await body() }
        try await tracer.span("job \(job.kind)", context: .topLevel, kind: .consumer,
                              attributes: ["drop.job.kind": .string(job.kind), "drop.job.attempt": .int64(Int64(job.attempts))]) { _ in
            try await body()
        }
    }
}
