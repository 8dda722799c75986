import DropCore
import Foundation

/// What the view models depend on, injected as values so tests are deterministic: the client,
/// the clock, the sleep between polls and countdown ticks, where idempotency keys come from, and
/// where the keys of payments still without a definite answer are kept across launches.
public struct ClientEnvironment: Sendable {
    public var client: DropClient
    public var now: @Sendable () -> Date
    public var sleep: @Sendable (Duration) async throws -> Void
    public var newIdempotencyKey: @Sendable () -> String
    /// Pass a `FilePendingPaymentStore` in the app: memory forgets a payment's key when the app is killed.
    public var pendingPayments: any PendingPaymentStore
    /// Between two reads of a transfer's status while it is on its way.
    public var pollInterval: Duration
    /// How many reads before `follow` gives up for now (the status is kept; a pull to refresh continues).
    public var maxPolls: Int

    public init(client: DropClient, now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                newIdempotencyKey: @escaping @Sendable () -> String = { RecordID.make() },
                pendingPayments: any PendingPaymentStore = InMemoryPendingPaymentStore(),
                pollInterval: Duration = .seconds(3), maxPolls: Int = 100) {
        self.client = client
        self.now = now
        self.sleep = sleep
        self.newIdempotencyKey = newIdempotencyKey
        self.pendingPayments = pendingPayments
        self.pollInterval = pollInterval
        self.maxPolls = maxPolls
    }

    /// Reads the transfer until its status is final (or `maxPolls` reads), passing each read to `update`;
    /// stops early when `update` answers false (the screen no longer shows this transfer).
    @MainActor
    func follow(_ id: String, update: (Transaction) -> Bool) async throws -> Transaction {
        var latest = try await client.transaction(id: id)
        var wanted = update(latest)
        var polls = 1
        while wanted, !latest.status.isFinal, polls < maxPolls {
            try await sleep(pollInterval)
            latest = try await client.transaction(id: id)
            wanted = update(latest)
            polls += 1
        }
        return latest
    }
}


/// Runs one change a screen asked for. Nil when it went through; otherwise the problem to show
/// (refused fields are in its `fields`), already reported to the session.
@MainActor
func perform(_ change: () async throws -> Void, reportingTo session: SessionModel?) async -> Problem? {
    do {
        try await change()
        return nil
    } catch {
        let problem = Problem(error)
        session?.report(problem)
        return problem
    }
}
