/// `standing_orders.bank_cancel_asked_at`: when Drop last asked the bank to cancel the order's periodic
/// payment. The reconciler asks again for the orders asked longest ago first: an order the bank won't
/// cancel (it wants the person's own approval, or refuses) would otherwise stand first in every round,
/// since a refused attempt changes nothing else, and the orders ended after it would never be cancelled.
extension Migration {
    static let standingOrderCancellationAttempts = Migration(version: 25, name: "standing_order_cancellation_attempts", statements: [
        "ALTER TABLE standing_orders ADD COLUMN bank_cancel_asked_at TIMESTAMPTZ",
    ])
}
