/// Drop's collection account at its payout partner: a person's bank pays a remittance into it, and
/// the partner pays the recipient out of it (`PAYOUT_COLLECTION_*`, `PAYOUT_PARTNER_BIC`).
struct CollectionAccount: Sendable {
    /// A Norwegian account number (BBAN).
    var number: String
    var name: String
    /// The partner's BIC, the account's bank.
    var bic: String
}
