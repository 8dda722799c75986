/// `transactions.return_next_check_at`: when the payout partner is next asked about a transfer's
/// return. Stamped each time it is asked (a day on when its answer was raised for a person), and the
/// returns job asks the least recently asked first: a return that can never finish (failed, refused)
/// no longer stays among the first 200 forever, keeping every later return from being asked for.
extension Migration {
    static let returnChecks = Migration(version: 26, name: "return_checks", statements: [
        "ALTER TABLE transactions ADD COLUMN return_next_check_at TIMESTAMPTZ",
    ])
}
