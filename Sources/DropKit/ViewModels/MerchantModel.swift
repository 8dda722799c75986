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
    public var completedTotal: Money {
        Money(amountMinor: payments.filter(\.received).reduce(0) { $0 + $1.amount.amountMinor },
              currency: "NOK")
    }

    public func load() async {
        do {
            merchant = try await environment.client.myMerchant()
            let dashboard = try await environment.client.merchantDashboard()
            self.dashboard = dashboard
            payments = dashboard.payments
            lastEventId = dashboard.lastEventId
            problem = nil
        } catch {
            fail(error)
        }
    }

    /// Follows the live events from where the dashboard left off until the task is cancelled.
    public func live() async {
        isLive = true
        defer { isLive = false }
        do {
            for try await event in environment.client.merchantEvents(after: lastEventId) {
                apply(event)
            }
        } catch is CancellationError {
        } catch {
            if !Task.isCancelled { fail(error) }
        }
    }

    /// One event: a new payment, a new status of one already shown, the payer's bank reporting a
    /// completed one reversed (the shop may have handed over the goods: the row says so at once), or
    /// paying one Drop had ended (the row says it was paid, so the shop doesn't ask again).
    func apply(_ event: MerchantEvent) {
        lastEventId = max(lastEventId ?? 0, event.seq)
        let existing = payments.firstIndex { $0.id == event.transactionId }
        let completedAt = existing.flatMap { payments[$0].completedAt }
        let payment = MerchantPayment(
            id: event.transactionId, status: event.status, amount: event.amount, reference: event.reference,
            createdAt: existing.map { payments[$0].createdAt } ?? event.at,
            completedAt: event.kind == .payment && event.status == .completed ? event.at : completedAt,
            payerMessage: event.payerMessage,
            reversalReportedAt: event.kind == .reversalReported ? event.at : existing.flatMap { payments[$0].reversalReportedAt },
            settledAfterEndAt: event.kind == .settledAfterEnd ? event.at : existing.flatMap { payments[$0].settledAfterEndAt })
        if let existing { payments[existing] = payment } else { payments.insert(payment, at: 0) }
    }

    private func fail(_ error: any Error) {
        let problem = Problem(error)
        self.problem = problem
        session?.report(problem)
    }
}
