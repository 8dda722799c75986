/// What keeps money from being lost, doubled or redirected (see docs/money-integrity.md):
/// - the payee as quoted and screened, copied onto the transfer (editing a recipient later never
///   changes where an existing transfer pays);
/// - the request id Drop sends its bank when initiating a payment, written before the call, so a
///   repeat after a crash is the same payment at the bank and a lost answer can be recovered;
/// - a return of the NOK through the payout partner, asked for and then confirmed by the partner
///   (only then is a transfer `refunded`);
/// - a lease on idempotency records, so a request whose process died can be resumed;
/// - operations alerts: what needs a person (a partner refusing Drop's credentials, money that
///   arrived for a transfer that had already ended, a disagreement with the bank).
extension Migration {
    static let moneyIntegrity = Migration(version: 7, name: "money_integrity", statements: [
        "ALTER TABLE transactions ADD COLUMN payee_name TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_country TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_currency TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_iban TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_account_number TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_bic TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_ifsc TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_routing_number TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_bank_name TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_address_street TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_address_post_code TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_address_city TEXT",
        "ALTER TABLE transactions ADD COLUMN payee_address_country TEXT",
        // Transfers made before this migration take the recipient as it is now (the best record there is).
        """
        UPDATE transactions SET
            payee_name = (SELECT r.name FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_country = (SELECT r.country FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_currency = (SELECT r.currency FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_iban = (SELECT r.iban FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_account_number = (SELECT r.account_number FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_bic = (SELECT r.bic FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_ifsc = (SELECT r.ifsc FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_routing_number = (SELECT r.routing_number FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_bank_name = (SELECT r.bank_name FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_address_street = (SELECT r.address_street FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_address_post_code = (SELECT r.address_post_code FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_address_city = (SELECT r.address_city FROM recipients r WHERE r.id = transactions.recipient_id),
            payee_address_country = (SELECT r.address_country FROM recipients r WHERE r.id = transactions.recipient_id)
        WHERE recipient_id IS NOT NULL
        """,
        // The X-Request-ID of the payment initiation and the PIS product, fixed before the bank is called.
        "ALTER TABLE transactions ADD COLUMN bank_request_id TEXT",
        "ALTER TABLE transactions ADD COLUMN bank_product TEXT",
        // The payer's address as the bank was told it, so a repeat of the request is the same request.
        "ALTER TABLE transactions ADD COLUMN psu_ip_address TEXT",
        // When the reconciler last asked the bank about this payment.
        "ALTER TABLE transactions ADD COLUMN bank_checked_at TIMESTAMPTZ",
        // A return of the NOK through the partner: asked for, the partner's id for it, confirmed.
        "ALTER TABLE transactions ADD COLUMN return_requested_at TIMESTAMPTZ",
        "ALTER TABLE transactions ADD COLUMN return_reason TEXT",
        "ALTER TABLE transactions ADD COLUMN partner_return_id TEXT",
        "ALTER TABLE transactions ADD COLUMN returned_at TIMESTAMPTZ",
        "CREATE INDEX transactions_return_due ON transactions (return_requested_at, returned_at)",
        // The lease of a running idempotent request: who runs it, until when.
        "ALTER TABLE idempotency_keys ADD COLUMN owner TEXT",
        "ALTER TABLE idempotency_keys ADD COLUMN locked_until TIMESTAMPTZ",
        """
        CREATE TABLE operations_alerts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            entity_type TEXT,
            entity_id TEXT,
            details TEXT NOT NULL,
            dedupe_key TEXT UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            resolved_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX operations_alerts_open ON operations_alerts (resolved_at, created_at)",
    ])
}
