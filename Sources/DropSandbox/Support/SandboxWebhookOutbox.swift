import Foundation
import Logging

/// A webhook a sandbox keeps until the receiver acknowledges it.
protocol SandboxOutboxWebhook: Sendable {
    /// Increasing in creation order.
    var id: Int { get }
    /// Webhooks with the same key go out one at a time, oldest first (one payment's statuses,
    /// one applicant's events), so the receiver sees them in order.
    var orderingKey: String { get }
    var attempts: Int { get set }
    var nextAttemptAt: Date { get set }
}

/// The delivery bookkeeping every sandbox shares, over the outbox array its state file keeps:
/// which webhooks are due, which are being delivered now, retries on a schedule, giving up.
struct SandboxWebhookOutbox<Webhook: SandboxOutboxWebhook> {
    /// Being delivered right now; not saved, so a restart retries them.
    private var inFlight: Set<Int> = []

    /// The webhooks due at `date`: only the oldest of each ordering key; `attempted` are those
    /// already tried in this round.
    mutating func claimDue(in outbox: [Webhook], at date: Date, excluding attempted: Set<Int>) -> [Webhook] {
        var seenKeys: Set<String> = []
        var claimed: [Webhook] = []
        for webhook in outbox {
            let isOldest = seenKeys.insert(webhook.orderingKey).inserted
            guard isOldest, !inFlight.contains(webhook.id), !attempted.contains(webhook.id), webhook.nextAttemptAt <= date else { continue }
            inFlight.insert(webhook.id)
            claimed.append(webhook)
        }
        return claimed
    }

    /// The receiver answered 2xx: the webhook leaves the outbox.
    mutating func acknowledge(_ id: Int, in outbox: inout [Webhook]) {
        inFlight.remove(id)
        outbox.removeAll { $0.id == id }
    }

    enum Failure {
        case unknown
        case retryScheduled
        /// The schedule is used up; the webhook was dropped.
        case gaveUp(Webhook)
    }

    /// Not acknowledged: schedule the next attempt, or give up after the last one.
    mutating func recordFailure(_ id: Int, in outbox: inout [Webhook], at date: Date, retrySchedule: [Duration]) -> Failure {
        inFlight.remove(id)
        guard let index = outbox.firstIndex(where: { $0.id == id }) else { return .unknown }
        outbox[index].attempts += 1
        let attempts = outbox[index].attempts
        guard attempts <= retrySchedule.count else { return .gaveUp(outbox.remove(at: index)) }
        let (seconds, attoseconds) = retrySchedule[attempts - 1].components
        outbox[index].nextAttemptAt = date.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        return .retryScheduled
    }
}

/// The delivery round and loop every sandbox runs over its store.
enum SandboxWebhookDelivery {
    /// Tries every webhook that is due once. - Returns: how many the receiver acknowledged.
    static func deliverDue<Webhook: SandboxOutboxWebhook>(
        claim: (_ excluding: Set<Int>) async -> [Webhook],
        deliver: (Webhook) async -> Bool,
        acknowledge: (Int) async throws -> Void,
        recordFailure: (Int) async throws -> Void,
        logger: Logger
    ) async -> Int {
        var attempted: Set<Int> = []
        var acknowledged = 0
        while true {
            let due = await claim(attempted)
            guard !due.isEmpty else { return acknowledged }
            for webhook in due {
                attempted.insert(webhook.id)
                let delivered = await deliver(webhook)
                do {
                    if delivered {
                        try await acknowledge(webhook.id)
                        acknowledged += 1
                    } else {
                        try await recordFailure(webhook.id)
                    }
                } catch {
                    logger.error("sandbox could not save its state", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Runs `round` every `pollInterval` until the calling task is cancelled.
    static func run(every pollInterval: Duration, _ round: () async -> Void) async {
        while !Task.isCancelled {
            await round()
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return
            }
        }
    }
}
