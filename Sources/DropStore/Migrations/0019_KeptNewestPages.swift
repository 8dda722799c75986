/// Each customer's newest page of their transaction list as the API last sent it, kept beside the
/// number it was read under (`transaction_list_versions.newest_page`,
/// docs/decisions/0023-newest-page-kept-in-the-database.md), so a restarted process or another
/// instance sends it without reading and encoding its rows again.
///
/// Every bump of the number now also empties the page, in the same statement: a kept page is always the
/// page at the number beside it. An erasure rewrites none of the customer's transactions (AML law keeps
/// them), so `PersonalData.erase` empties the page itself.
extension Migration {
    static let keptNewestPages = Migration(
        version: 19, name: "kept_newest_pages",
        statements: [
            // Last in the row: a read of the number alone never reaches it (SQLite keeps a long value in overflow pages).
            // The format names the code that wrote the page (its JSON's shape, its size): a page a build before a
            // change of either wrote is not sent by the build after it.
            "ALTER TABLE transaction_list_versions ADD COLUMN newest_page_format TEXT",
            "ALTER TABLE transaction_list_versions ADD COLUMN newest_page TEXT",
        ],
        dialectStatements: [
            .sqlite: [
                "DROP TRIGGER transactions_list_version_insert",
                "DROP TRIGGER transactions_list_version_update",
                "DROP TRIGGER transactions_list_version_delete",
                "DROP TRIGGER merchants_list_version_update",
                bumpEmptyingPageOnSQLite(trigger: "transactions_list_version_insert", event: "AFTER INSERT ON transactions", users: "VALUES (NEW.user_id, 1)"),
                bumpEmptyingPageOnSQLite(trigger: "transactions_list_version_update", event: "AFTER UPDATE ON transactions", users: "VALUES (NEW.user_id, 1)"),
                bumpEmptyingPageOnSQLite(trigger: "transactions_list_version_delete", event: "AFTER DELETE ON transactions", users: "VALUES (OLD.user_id, 1)"),
                bumpEmptyingPageOnSQLite(trigger: "merchants_list_version_update", event: "AFTER UPDATE OF code, name, city ON merchants",
                             users: "SELECT DISTINCT user_id, 1 FROM transactions WHERE merchant_id = NEW.id"),
            ],
            .postgres: [
                // lz4 compresses a 12 KB page in a quarter of the time of PostgreSQL's default (about 25 against 95 µs
                // on this machine kind): every page read from its rows is written again. A server built without lz4
                // (or older than 14) keeps its default, only slower.
                """
                DO $$
                BEGIN
                    ALTER TABLE transaction_list_versions ALTER COLUMN newest_page SET COMPRESSION lz4;
                EXCEPTION WHEN OTHERS THEN
                    NULL;
                END
                $$
                """,
                // The same functions as migration 17's, the triggers unchanged.
                """
                CREATE OR REPLACE FUNCTION bump_transaction_list_versions() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO transaction_list_versions (user_id, version)
                    SELECT DISTINCT user_id, 1 FROM changed_rows ORDER BY user_id
                    ON CONFLICT (user_id) DO UPDATE SET version = transaction_list_versions.version + 1, newest_page = NULL;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE OR REPLACE FUNCTION bump_merchant_payers_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO transaction_list_versions (user_id, version)
                    SELECT DISTINCT user_id, 1 FROM transactions WHERE merchant_id = NEW.id ORDER BY user_id
                    ON CONFLICT (user_id) DO UPDATE SET version = transaction_list_versions.version + 1, newest_page = NULL;
                    RETURN NULL;
                END
                $$
                """,
            ],
        ])

    /// Migration 17's SQLite trigger, emptying the kept page as it moves the number.
    private static func bumpEmptyingPageOnSQLite(trigger: String, event: String, users: String) -> String {
        """
        CREATE TRIGGER \(trigger) \(event) BEGIN
            INSERT INTO transaction_list_versions (user_id, version) \(users)
            ON CONFLICT (user_id) DO UPDATE SET version = version + 1, newest_page = NULL;
        END
        """
    }
}
