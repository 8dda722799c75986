/// A number per customer that changes, in the same database transaction, with every write that
/// changes what their transaction list shows: any insert, update or delete of their transactions,
/// and a change of the code, name or city of a merchant they paid. Each process keeps the newest
/// page of each customer's list in memory and serves it while this number stands still
/// (`TransactionListVersion`, docs/decisions/0012-transaction-list-from-memory.md).
///
/// Triggers rather than calls at each write site: the list must never be stale, and a trigger
/// can't be forgotten by the next write someone adds.
extension Migration {
    static let transactionListVersions = Migration(
        version: 17, name: "transaction_list_versions",
        statements: [
            "CREATE TABLE transaction_list_versions (user_id TEXT PRIMARY KEY, version BIGINT NOT NULL)",
            // Customers who already have transactions start at 1; 0 means "none yet" (no row).
            "INSERT INTO transaction_list_versions (user_id, version) SELECT DISTINCT user_id, 1 FROM transactions",
        ],
        dialectStatements: [
            .sqlite: [
                bumpOnSQLite(trigger: "transactions_list_version_insert", event: "AFTER INSERT ON transactions", users: "VALUES (NEW.user_id, 1)"),
                bumpOnSQLite(trigger: "transactions_list_version_update", event: "AFTER UPDATE ON transactions", users: "VALUES (NEW.user_id, 1)"),
                bumpOnSQLite(trigger: "transactions_list_version_delete", event: "AFTER DELETE ON transactions", users: "VALUES (OLD.user_id, 1)"),
                bumpOnSQLite(trigger: "merchants_list_version_update", event: "AFTER UPDATE OF code, name, city ON merchants",
                             users: "SELECT DISTINCT user_id, 1 FROM transactions WHERE merchant_id = NEW.id"),
            ],
            .postgres: [
                // Once per statement, in user order: a batch (a payout's transfers, an erasure) moves each
                // customer's number once, and two batches lock the same customers' rows in the same order.
                // Each trigger names its statement's rows `changed_rows` (the new rows; a delete's old ones).
                """
                CREATE FUNCTION bump_transaction_list_versions() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO transaction_list_versions (user_id, version)
                    SELECT DISTINCT user_id, 1 FROM changed_rows ORDER BY user_id
                    ON CONFLICT (user_id) DO UPDATE SET version = transaction_list_versions.version + 1;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER transactions_list_versions_insert AFTER INSERT ON transactions
                REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_transaction_list_versions()
                """,
                """
                CREATE TRIGGER transactions_list_versions_update AFTER UPDATE ON transactions
                REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_transaction_list_versions()
                """,
                """
                CREATE TRIGGER transactions_list_versions_delete AFTER DELETE ON transactions
                REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_transaction_list_versions()
                """,
                """
                CREATE FUNCTION bump_merchant_payers_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO transaction_list_versions (user_id, version)
                    SELECT DISTINCT user_id, 1 FROM transactions WHERE merchant_id = NEW.id ORDER BY user_id
                    ON CONFLICT (user_id) DO UPDATE SET version = transaction_list_versions.version + 1;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER merchants_list_version AFTER UPDATE OF code, name, city ON merchants
                FOR EACH ROW EXECUTE FUNCTION bump_merchant_payers_list_version()
                """,
            ],
        ])

    /// A SQLite trigger that adds one to the version of each user `users` selects (as `(user_id, 1)` rows).
    private static func bumpOnSQLite(trigger: String, event: String, users: String) -> String {
        """
        CREATE TRIGGER \(trigger) \(event) BEGIN
            INSERT INTO transaction_list_versions (user_id, version) \(users)
            ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
        END
        """
    }
}
