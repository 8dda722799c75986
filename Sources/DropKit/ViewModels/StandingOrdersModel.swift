import DropCore
import Foundation
import Observation

/// Faste overføringer: the person's standing transfers, setting one up (one approval at the bank),
/// and pausing, resuming, changing or stopping one.
@Observable
@MainActor
public final class StandingOrdersModel {
    public private(set) var orders: [StandingOrder] = []
    public private(set) var isLoading = false
    public private(set) var problem: Problem?
    /// Open this in the system browser to approve at the bank; the bank sends the person back to
    /// `drop://standing-orders/{id}` (`DeepLink.standingOrder`), then call `load()`.
    public private(set) var approvalURL: URL?

    let environment: ClientEnvironment
    weak var session: SessionModel?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
    }

    /// The ones running, paused or waiting for approval first.
    public var running: [StandingOrder] { orders.filter { [.active, .pendingSCA, .paused].contains($0.status) } }

    public func load() async {
        isLoading = true
        defer { isLoading = false }
        let client = environment.client
        problem = await perform({ self.orders = try await client.standingOrders() }, reportingTo: session)
    }

    /// Sets one up; on success `approvalURL` is where to approve it.
    public func create(_ input: NewStandingOrder) async {
        let intent = PaymentIntent("standing-order", input)
        let key = await key(for: intent)
        let client = environment.client
        problem = await perform({
            let started = try await client.createStandingOrder(input, idempotencyKey: key)
            self.approvalURL = started.scaRedirect.flatMap(URL.init(string:))
        }, reportingTo: session)
        await forgetKeyIfAnswered(intent)
        await refreshAfterChange()
    }

    /// Resumes a paused order or changes a running one: a new approval at the bank.
    public func replace(_ order: StandingOrder, with change: StandingOrderChange = StandingOrderChange()) async {
        let intent = PaymentIntent("standing-order:replace:\(order.id)", change)
        let key = await key(for: intent)
        let client = environment.client
        problem = await perform({
            let started = try await client.replaceStandingOrder(id: order.id, change, idempotencyKey: key)
            self.approvalURL = started.scaRedirect.flatMap(URL.init(string:))
        }, reportingTo: session)
        await forgetKeyIfAnswered(intent)
        await refreshAfterChange()
    }

    public func pause(_ order: StandingOrder) async {
        let client = environment.client
        problem = await perform({ _ = try await client.pauseStandingOrder(id: order.id) }, reportingTo: session)
        await refreshAfterChange()
    }

    public func stop(_ order: StandingOrder) async {
        let client = environment.client
        problem = await perform({ _ = try await client.stopStandingOrder(id: order.id) }, reportingTo: session)
        await refreshAfterChange()
    }

    /// The browser came back from the bank.
    public func returnedFromBank() async {
        approvalURL = nil
        await load()
    }

    private func refreshAfterChange() async {
        let failed = problem
        await load()
        problem = failed ?? problem
    }

    /// The key of this exact request: the same one again (a retry after a lost answer, also after the
    /// app was opened again) keeps it, and anything changed in it (another account, end date, day or
    /// message) is another request with a key of its own, never a body the server would refuse under
    /// the old key.
    /// A standing order waits at Drop for its bank's approval with no 15-minute end, so a new key
    /// after a lost answer could make a second order, both approvable: its key is kept as long as
    /// the server replays it (`IdempotencyKeys.retention`).
    private func key(for intent: PaymentIntent) async -> String {
        let fresh = PendingPayment(key: environment.newIdempotencyKey(), savedAt: environment.now(), keptFor: IdempotencyKeys.retention)
        return await environment.pendingPayments.keep(fresh, for: intent).key
    }

    /// After a definite answer (done, refused, invalid) the next request gets a new key.
    private func forgetKeyIfAnswered(_ intent: PaymentIntent) async {
        if problem?.keepsIdempotencyKey != true { await environment.pendingPayments.clear(for: intent) }
    }
}
