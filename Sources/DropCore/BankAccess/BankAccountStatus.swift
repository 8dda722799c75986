/// Whether Drop may pay from and read a linked account: `active` while its consent is valid,
/// `reconnect` once the consent has ended and the customer must link the bank again.
public enum BankAccountStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case reconnect
}
