/// A customer's payments by when their money left the account (`funds_received_at`): the spending
/// limits count a payment made last month and settled this month in this month, and one still waiting
/// for approval or settlement whenever it was made (`SpendingLimitRepository.standing`), without
/// reading every payment the person ever made.
extension Migration {
    static let spendingByMoneyLeft = Migration(version: 34, name: "spending_by_money_left", statements: [
        "CREATE INDEX transactions_user_funds_received ON transactions (user_id, funds_received_at)",
    ])
}
