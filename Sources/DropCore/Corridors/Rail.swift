/// How the payout partner moves the money to the recipient's bank.
public enum Rail: String, Sendable, Hashable, Codable, CaseIterable {
    /// SEPA Credit Transfer: EUR only, IBAN only, shared charges, same or next business day.
    case sepa
    /// Cross-border over SWIFT (or the partner's local clearing where it has one); any currency.
    case swift
}
