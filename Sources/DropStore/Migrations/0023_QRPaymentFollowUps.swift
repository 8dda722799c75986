/// What Drop needs to follow a QR payment up after it was made:
/// - `transactions.payment_link_expires_at`: when the signed one-purchase code it pays stops being
///   good (nil for a static code, and for payments made before this migration). A payment held for
///   a compliance review and released after that is ended, not asked of the payer's bank: the shop
///   has long since been paid another way.
/// - `merchant_events.kind` (`MerchantEventKind`): besides a payment's new status, the bank's
///   report of a completed payment reversed, which the shop must hear of. The partial index finds
///   a payment's reversal reports for the dashboard without reading the merchant's whole sequence.
extension Migration {
    static let qrPaymentFollowUps = Migration(version: 23, name: "qr_payment_follow_ups", statements: [
        "ALTER TABLE transactions ADD COLUMN payment_link_expires_at TIMESTAMPTZ",
        "ALTER TABLE merchant_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment'",
        "CREATE INDEX merchant_events_reversals ON merchant_events (transaction_id) WHERE kind = 'reversal_reported'",
    ])
}
