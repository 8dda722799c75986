/// Links a sender shares with the receiver of a transfer (`/t/{token}`). Only the token's SHA-256
/// is stored, so the table can't be read back into working links. One link per transfer: sharing
/// again replaces it, and stopping deletes it. Erasure and the retention purge delete them too.
extension Migration {
    static let trackingLinks = Migration(version: 12, name: "tracking_links", statements: [
        """
        CREATE TABLE tracking_links (
            token_sha256 TEXT PRIMARY KEY,
            transaction_id TEXT NOT NULL UNIQUE REFERENCES transactions (id),
            user_id TEXT NOT NULL REFERENCES users (id),
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX tracking_links_user ON tracking_links (user_id)",
    ])
}
