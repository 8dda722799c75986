/// Live merchant dashboards: every status change of a payment to a merchant gets the next number
/// of that merchant's own sequence, so a reconnecting event stream (`Last-Event-ID`) can replay
/// exactly what it missed, whichever server instance wrote it. The counter lives on the merchant
/// row: taking the next number locks that row until commit, so numbers become visible in order.
extension Migration {
    static let merchantEvents = Migration(version: 5, name: "merchant_events", statements: [
        "ALTER TABLE merchants ADD COLUMN event_seq BIGINT NOT NULL DEFAULT 0",
        """
        CREATE TABLE merchant_events (
            merchant_id TEXT NOT NULL REFERENCES merchants (id),
            seq BIGINT NOT NULL,
            transaction_id TEXT NOT NULL REFERENCES transactions (id),
            status TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (merchant_id, seq)
        )
        """,
    ])
}
