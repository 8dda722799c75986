/// How a recipient's account is identified in a corridor.
public enum AccountFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// An IBAN (ISO 13616) whose country is the recipient's.
    case iban
    /// A domestic account number plus the bank's BIC, for countries without IBANs.
    case accountAndBIC = "account+bic"
    /// India: an account number plus the branch's IFSC (`^[A-Z]{4}0[A-Z0-9]{6}$`).
    case ifscAndAccount = "ifsc+account"
    /// United States: an account number plus the 9-digit ABA routing number.
    case abaAndAccount = "aba+account"
    /// Nigeria: the 10-digit NUBAN plus the bank's BIC.
    case nuban

    /// The recipient fields this format needs, in API names.
    public var accountFields: [String] {
        switch self {
        case .iban: ["iban"]
        case .accountAndBIC: ["accountNumber", "bic"]
        case .ifscAndAccount: ["accountNumber", "ifsc"]
        case .abaAndAccount: ["accountNumber", "routingNumber"]
        case .nuban: ["accountNumber", "bic"]
        }
    }
}
