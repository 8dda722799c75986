/// A customer's payments by when their money left the account (`funds_received_at`): the spending
/// limits count a payment made last month and settled this month in this month, and one still waiting
/// for approval or settlement whenever it was made (`SpendingLimitRepository.standing`), without
/// reading every payment the person ever made.
///
/// `IF NOT EXISTS`: built in the migration's transaction, the index would stop every write to `transactions` (every
/// payment) for as long as it takes on a big table. An operator builds it first without stopping them (`CREATE INDEX
/// CONCURRENTLY IF NOT EXISTS`, the same definition: docs/operations.md) and the migration then finds it built.
extension Migration {
    static let spendingByMoneyLeft = Migration(version: 34, name: "spending_by_money_left", statements: [
        "CREATE INDEX IF NOT EXISTS transactions_user_funds_received ON transactions (user_id, funds_received_at)",
    ])
}
