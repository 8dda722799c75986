/// What keeps a QR payment from being doubled or passed off as something it isn't:
/// - `payment_link_id` names the signed one-purchase code a payment paid (a hash of its terms).
///   The partial unique index lets at most one payment of a code be under way or done; one that
///   ended without money moving (failed, cancelled, expired) leaves the index, so the payer can
///   try again, and keeps the id as history.
/// - A QR payment's `reference` is only ever the order reference the merchant's signature fixed;
///   what a payer typed on a static code is their `message`. Older rows can't show which they
///   were, so their text becomes the payer's message: never shown as an order it can't prove.
/// - `merchants.settlement_bank_account_id`: the owner's linked account that proved the
///   settlement account theirs at registration.
extension Migration {
    static let merchantIntegrity = Migration(version: 9, name: "merchant_integrity", statements: [
        "ALTER TABLE transactions ADD COLUMN payment_link_id TEXT",
        """
        CREATE UNIQUE INDEX transactions_payment_link_once ON transactions (payment_link_id)
        WHERE payment_link_id IS NOT NULL AND status IN ('pending_sca', 'processing', 'held', 'completed', 'refunded')
        """,
        "UPDATE transactions SET message = reference, reference = NULL WHERE kind = 'qr_payment' AND reference IS NOT NULL",
        "ALTER TABLE merchants ADD COLUMN settlement_bank_account_id TEXT REFERENCES bank_accounts (id)",
    ])
}
