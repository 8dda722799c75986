/// The one name AML gives the account a payment pays, the same from a recipient's row, a payment's payee
/// snapshot or a screened payment: "paid before" (`AMLCustomerHistory.isFirstTransfer`) compares these.
public enum AMLPayeeAccount {
    /// An IBAN names its country and bank itself. An account number does not: the same digits at another
    /// bank or in another country are someone else's account, so it is named with the country and every
    /// bank code the recipient has (the codes whose edit makes a recipient a new payee,
    /// `RecipientRepository.update`). A BIC counts as its 11 characters (`DNBANOKK` is `DNBANOKKXXX`),
    /// IFSC and routing number in capitals. No account known: the recipient.
    public static func name(country: String, iban: String?, accountNumber: String?, bic: String?, ifsc: String?,
                            routingNumber: String?, recipientId: String) -> String {
        if let iban { return iban }
        guard let accountNumber else { return "recipient:" + recipientId }
        let bank = bic.map { (try? BIC($0))?.bic11 ?? $0.uppercased() }
        return ["account", country.uppercased(), bank ?? "", ifsc?.uppercased() ?? "", routingNumber?.uppercased() ?? "", accountNumber]
            .joined(separator: ":")
    }
}
