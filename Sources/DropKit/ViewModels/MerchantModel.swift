import Foundation
import Observation

/// Bedrift: the shop's code, today's totals and payments, updated live as payers approve at their banks.
@Observable
@MainActor
public final class MerchantModel {
    public private(set) var merchant: Merchant?
    public private(set) var dashboard: MerchantDashboard?
    /// Today's payments, newest first, with the live events applied.
    public private(set) var payments: [MerchantPayment] = []
    public private(set) var isLive = false
    public private(set) var problem: Problem?

    let environment: ClientEnvironment
    weak var session: SessionModel?
    private var lastEventId: Int64?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
    }

    /// What the shop received, live: completed payments, and those the bank paid after Drop ended them.
    /// The server's total when the dashboard was read, plus what the events since made received: not
    /// a sum over `payments`, which holds only the newest payments (200), so a busy day's total would
    /// come out short of the server's.
    public var completedTotal: Money {
        Money(amountMinor: (dashboard?.total.amountMinor ?? 0) + receivedSinceLoad, currency: "NOK")
    }
    /// What the live events added to (or took from) the dashboard's total since it was read.
    private var receivedSinceLoad: Int64 = 0

    public func load() async {
        do {
            merchant = try await environment.client.myMerchant()
            let dashboard = try await environment.client.merchantDashboard()
            self.dashboard = dashboard
            payments = dashboard.payments
            receivedSinceLoad = 0
            lastEventId = dashboard.lastEventId
            problem = nil
        } catch {
            fail(error)
        }
    }

    /// Follows the live events from where the dashboard left off until the task is cancelled. Drop
    /// ends each stream after a few minutes, and a phone's network drops it: it is opened again from
    /// the last event seen (`Last-Event-ID`), so nothing in between is missed. Only a refusal (the
    /// session ended, no business) or an answer this app cannot read ends it.
    public func live() async {
        let client = environment.client
        await live { client.merchantEvents(after: $0) }
    }

    /// `live()` over `connect`, which opens the stream after an event id.
    func live(_ connect: (Int64?) -> AsyncThrowingStream<MerchantEvent, any Error>) async {
        defer { isLive = false }
        while !Task.isCancelled {
            var wait = Self.reconnectDelay
            isLive = true
            do {
                for try await event in connect(lastEventId) {
                    apply(event)
                    // A new day in Oslo: the board is the new day's, as the server counts it, not
                    // yesterday's total with today's payments added.
                    if let day = dashboard, event.at >= day.to { await load() }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                guard let retryAfter = Self.retryDelay(after: error) else {
                    fail(error)
                    return
                }
                wait = retryAfter
            }
            isLive = false
            do { try await environment.sleep(wait) } catch { return }
        }
    }

    /// The server's `retry:` hint: how long before opening the stream again.
    static let reconnectDelay: Duration = .seconds(2)

    /// How long to wait before opening the stream again after `error`; nil when trying again cannot help.
    static func retryDelay(after error: any Error) -> Duration? {
        switch error {
        case let url as URLError where url.code != .cancelled: return reconnectDelay
        case let api as APIError where api.status == 429 || api.status >= 500:
            return api.retryAfter.map { .seconds(max(2, $0)) } ?? reconnectDelay
        default: return nil
        }
    }

    /// One event: a new payment, a new status of one already shown, the payer's bank reporting a
    /// completed one reversed (the shop may have handed over the goods: the row says so at once), or
    /// paying one Drop had ended (the row says it was paid, so the shop doesn't ask again).
    /// One already shown (the dashboard was read after it, or it came again) is not applied again.
    /// One about a payment made on another day (the bank paying or reversing it days later) updates its
    /// row if listed but not the total: the server counts a payment under the day it was made.
    func apply(_ event: MerchantEvent) {
        guard event.seq > lastEventId ?? 0 else { return }
        lastEventId = event.seq
        let existing = payments.firstIndex { $0.id == event.transactionId }
        let ofTheDay = isOfTheDashboardsDay(event)
        guard ofTheDay || existing != nil else { return }
        // A payment not on the list was received before only if this event reports a completed one reversed.
        let wasReceived = existing.map { payments[$0].received } ?? (event.kind == .reversalReported)
        let completedAt = existing.flatMap { payments[$0].completedAt }
        let payment = MerchantPayment(
            id: event.transactionId, status: event.status, amount: event.amount, reference: event.reference,
            createdAt: existing.map { payments[$0].createdAt } ?? event.createdAt ?? event.at,
            completedAt: event.kind == .payment && event.status == .completed ? event.at : completedAt,
            payerMessage: event.payerMessage,
            reversalReportedAt: event.kind == .reversalReported ? event.at : existing.flatMap { payments[$0].reversalReportedAt },
            settledAfterEndAt: event.kind == .settledAfterEnd ? event.at : existing.flatMap { payments[$0].settledAfterEndAt })
        if let existing { payments[existing] = payment } else { payments.insert(payment, at: 0) }
        if ofTheDay, payment.received != wasReceived { receivedSinceLoad += payment.received ? payment.amount.amountMinor : -payment.amount.amountMinor }
    }

    /// Whether the event's payment was made in the dashboard's period. An event without `createdAt` (an
    /// older server) or before any dashboard is taken as today's, as it always was.
    private func isOfTheDashboardsDay(_ event: MerchantEvent) -> Bool {
        guard let day = dashboard, let createdAt = event.createdAt else { return true }
        return day.from <= createdAt && createdAt < day.to
    }

    private func fail(_ error: any Error) {
        let problem = Problem(error)
        self.problem = problem
        session?.report(problem)
    }
}
