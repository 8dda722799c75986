/// When Drop first tried to send a payout message (`payouts.send_attempted_at`). A message never
/// tried can't have reached the partner: one whose payer lost their standing meanwhile is
/// withdrawn (`status = 'withdrawn'`) and its transfers freed, instead of being paid as stored.
/// A message still unsent from before this migration may have been tried (a send whose answer was lost
/// puts it back to `created`): it counts as tried, so the partner is asked before it is withdrawn.
extension Migration {
    static let payoutSendAttempts = Migration(version: 30, name: "payout_send_attempts", statements: [
        "ALTER TABLE payouts ADD COLUMN send_attempted_at TIMESTAMPTZ",
        "UPDATE payouts SET send_attempted_at = updated_at WHERE status IN ('created', 'sending')",
    ])
}
