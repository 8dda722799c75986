/// Who is sending a payout message, until when. Only the claimer sends; a claim whose worker
/// died lapses and the message is sent again as stored (same message id, same bytes), which the
/// partner answers from its idempotency record instead of paying twice.
extension Migration {
    static let payoutClaims = Migration(version: 8, name: "payout_claims", statements: [
        "ALTER TABLE payouts ADD COLUMN claimed_by TEXT",
        "ALTER TABLE payouts ADD COLUMN claimed_until TIMESTAMPTZ",
        "CREATE INDEX payouts_status ON payouts (status, created_at)",
    ])
}
