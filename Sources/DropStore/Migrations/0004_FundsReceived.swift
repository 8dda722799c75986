/// A remittance is paid out only once the user's bank reports the NOK settled (ACSC and later),
/// which can come after the approval that moved it to `processing`.
extension Migration {
    static let fundsReceived = Migration(version: 4, name: "transactions_funds_received", statements: [
        "ALTER TABLE transactions ADD COLUMN funds_received_at TIMESTAMPTZ",
        "CREATE INDEX transactions_payout_due ON transactions (status, funds_received_at)",
    ])
}
