import Foundation
import NIOConcurrencyHelpers

/// When this process last asked a bank about each payment or standing order for its public return page
/// (`TransactionService.followUp`, `StandingOrderService.followUp`). A payer coming back needs one reading; a loop on an open payment's id,
/// from however many addresses, then costs the bank one question every `interval` per process. Only the
/// page's own asks count: the reconciler's and the webhook's readings don't hold a returning payer back.
final class ReturnPageAsks: Sendable {
    let interval: TimeInterval
    private let lastAsked = NIOLockedValueBox<[String: Date]>([:])
    /// Past this many payments, those asked about longer than `interval` ago are forgotten.
    private static let pruneAt = 10_000

    init(interval: TimeInterval = 3) {
        self.interval = interval
    }

    /// Whether the bank may be asked about `id` (a payment's or an order's) now; if so, noted as asked.
    func mayAsk(_ id: String, now: Date) -> Bool {
        lastAsked.withLockedValue { asked in
            if let last = asked[id], now.timeIntervalSince(last) < interval { return false }
            if asked.count >= Self.pruneAt { asked = asked.filter { now.timeIntervalSince($0.value) < interval } }
            asked[id] = now
            return true
        }
    }
}
