/// Standing transfers: one periodic payment at the person's bank, approved once, and a transfer
/// for each payment the bank makes under it (`transactions.standing_order_id` with the bank's
/// execution id, unique together, so a report heard twice makes one transfer).
extension Migration {
    static let standingOrders = Migration(version: 16, name: "standing_orders", statements: [
        """
        CREATE TABLE standing_orders (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            recipient_id TEXT NOT NULL REFERENCES recipients (id),
            bank_account_id TEXT NOT NULL REFERENCES bank_accounts (id),
            amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
            fee_minor BIGINT NOT NULL CHECK (fee_minor >= 0),
            total_minor BIGINT NOT NULL CHECK (total_minor > 0),
            currency TEXT NOT NULL CHECK (currency = 'NOK'),
            receive_currency TEXT NOT NULL,
            frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'every_two_weeks', 'monthly', 'quarterly')),
            day_of_execution INTEGER NOT NULL CHECK (day_of_execution BETWEEN 1 AND 31),
            start_date TEXT NOT NULL,
            end_date TEXT,
            message TEXT,
            status TEXT NOT NULL CHECK (status IN ('pending_sca', 'active', 'paused', 'stopped', 'rejected', 'ended', 'replaced')),
            stop_reason TEXT,
            replaces_id TEXT REFERENCES standing_orders (id),
            idempotency_key TEXT NOT NULL,
            bank_id TEXT NOT NULL,
            bank_product TEXT NOT NULL,
            bank_request_id TEXT NOT NULL UNIQUE,
            bank_payment_id TEXT UNIQUE,
            sca_redirect TEXT,
            psu_ip_address TEXT NOT NULL,
            bank_cancelled_at TIMESTAMPTZ,
            last_execution_date TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            UNIQUE (user_id, idempotency_key)
        )
        """,
        "CREATE INDEX standing_orders_user ON standing_orders (user_id, created_at)",
        "CREATE INDEX standing_orders_status ON standing_orders (status)",
        "ALTER TABLE transactions ADD COLUMN standing_order_id TEXT REFERENCES standing_orders (id)",
        "ALTER TABLE transactions ADD COLUMN bank_execution_id TEXT",
        "CREATE UNIQUE INDEX transactions_standing_order_execution ON transactions (standing_order_id, bank_execution_id)",
    ])
}
