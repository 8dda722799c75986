/// A held transfer's release waits for a second officer (ADR 0032): the first officer's proposal, one
/// per transfer, until it is approved (the release), withdrawn or refused, or the transfer is rejected.
/// No foreign key: a transfer row is never deleted, and the proposal's history is in the audit log.
extension Migration {
    static let releaseProposals = Migration(version: 36, name: "release_proposals", statements: [
        """
        CREATE TABLE release_proposals (
            transaction_id TEXT PRIMARY KEY,
            id TEXT NOT NULL,
            proposed_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            proposed_at TIMESTAMPTZ NOT NULL
        )
        """,
    ])
}
