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
    /// The migrations this build knows that the database lacked when last asked; empty once it had them all
    /// (migrations only move forward: then it is not asked again).
    private let schemaBehind = NIOLockedValueBox<[Int]?>(nil)

    /// How long a job of a kind this build has no handler for waits before any worker claims it again.
    static let unknownKindDelay: TimeInterval = 60

    public init(services: AppServices, pollInterval: Duration = .milliseconds(500), lease: TimeInterval? = nil) {
        self.services = services
        self.queue = JobQueue(database: services.database)
        self.name = "worker-" + UUID().uuidString.prefix(8).lowercased()
        self.pollInterval = pollInterval
        self.lease = lease ?? services.config.jobLease
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
        guard try await schemaIsCurrent() else { return false }
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
        // A long run keeps its lease, so no other worker starts the same job meanwhile.
        let heartbeat = Task { [queue, services, lease] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int64(lease * 1000 / 3)))
                if Task.isCancelled { break }
                _ = try? await queue.renew(job, now: services.clock(), lease: lease)
            }
        }
        defer { heartbeat.cancel() }
        do {
            try await traced(job) { try await handler(job) }
        } catch let newer as JobForANewerBuild {
            // A kind this build knows, about something only a newer build can read: as for an unknown kind.
            heartbeat.cancel()
            logger.warning("job names what this build can't read; put back for a worker that can", metadata: ["reason": .string(newer.reason)])
            try await putBack(job)
            return true
        } catch {
            heartbeat.cancel()
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
        heartbeat.cancel()
        services.metrics.countJob(kind: job.kind, outcome: "done")
        return true
    }

    /// Marks a job whose handler finished as done, tried again while the database doesn't answer (a dropped
    /// connection, a restart): the lease, still renewed, keeps other workers off it meanwhile. Should every
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

    /// A span per job when tracing is on, a new trace each: its database statements and provider calls are its children.
    @concurrent private func traced(_ job: Job, _ body: @concurrent () async throws -> Void) async throws {
        guard let tracer = services.telemetry.tracer else { return try await body() }
        try await tracer.span("job \(job.kind)", context: .topLevel, kind: .consumer,
                              attributes: ["drop.job.kind": .string(job.kind), "drop.job.attempt": .int64(Int64(job.attempts))]) { _ in
            try await body()
        }
    }
}
