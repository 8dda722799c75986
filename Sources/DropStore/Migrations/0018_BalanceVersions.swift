/// A number per customer that changes, in the same database transaction, with every write to their
/// bank accounts: linking, a balance the bank gave, a consent that ended (`reconnect`), removal,
/// erasure. Each process keeps each customer's `GET /v1/balance` answer in memory and serves it
/// while this number stands still and the balances are younger than five minutes (`BalanceVersion`,
/// docs/decisions/0013-balance-from-memory.md). Triggers for migration 17's reason: a write site
/// added later can't forget them.
extension Migration {
    static let balanceVersions = Migration(
        version: 18, name: "balance_versions",
        statements: [
            "CREATE TABLE balance_versions (user_id TEXT PRIMARY KEY, version BIGINT NOT NULL)",
            // Customers who already have accounts start at 1; 0 means "none yet" (no row).
            "INSERT INTO balance_versions (user_id, version) SELECT DISTINCT user_id, 1 FROM bank_accounts",
        ],
        dialectStatements: [
            .sqlite: [
                bumpOnSQLite(trigger: "bank_accounts_balance_version_insert", event: "AFTER INSERT ON bank_accounts", user: "NEW.user_id"),
                bumpOnSQLite(trigger: "bank_accounts_balance_version_update", event: "AFTER UPDATE ON bank_accounts", user: "NEW.user_id"),
                bumpOnSQLite(trigger: "bank_accounts_balance_version_delete", event: "AFTER DELETE ON bank_accounts", user: "OLD.user_id"),
            ],
            .postgres: [
                // Once per statement, in user order, as migration 17 does: each customer's number moves once
                // per statement, and two statements lock the same customers' rows in the same order.
                """
                CREATE FUNCTION bump_balance_versions() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO balance_versions (user_id, version)
                    SELECT DISTINCT user_id, 1 FROM changed_rows ORDER BY user_id
                    ON CONFLICT (user_id) DO UPDATE SET version = balance_versions.version + 1;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER bank_accounts_balance_versions_insert AFTER INSERT ON bank_accounts
                REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_balance_versions()
                """,
                """
                CREATE TRIGGER bank_accounts_balance_versions_update AFTER UPDATE ON bank_accounts
                REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_balance_versions()
                """,
                """
                CREATE TRIGGER bank_accounts_balance_versions_delete AFTER DELETE ON bank_accounts
                REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_balance_versions()
                """,
            ],
        ])

    private static func bumpOnSQLite(trigger: String, event: String, user: String) -> String {
        """
        CREATE TRIGGER \(trigger) \(event) BEGIN
            INSERT INTO balance_versions (user_id, version) VALUES (\(user), 1)
            ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
        END
        """
    }
}
