import DropCore

/// A fingerprint of the payee a person reviewed (`payeeVersion`): the review page and the app show
/// a recipient with it, and the transfer's confirmation carries it back, so a transfer pays the
/// account that was on the screen. Editing the recipient in between (on another tab, or by someone
/// holding the phone) changes it and the confirmation is refused with `RECIPIENT_CHANGED`.
extension PayeeSnapshot {
    /// SHA-256 over every field the payout sends, each length-prefixed so no two payees spell the
    /// same text; lowercase hex. Opaque to clients: they only send back what they were shown.
    public var version: String {
        let fields = [name, country, currency, iban, accountNumber, bic, ifsc, routingNumber, bankName,
                      addressStreet, addressPostCode, addressCity, addressCountry]
        let canonical = fields.map { field in field.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
        return Hex.sha256(of: "payee.v1|" + canonical)
    }
}

extension RecipientRecord {
    /// Whether `other` pays the same payee as far as AML and step-up are concerned: the name, country,
    /// currency and account details (`RecipientRepository.update` sets `payee_changed_at` on the same).
    /// The bank's name, the address and the relationship are descriptions, not where the money goes.
    public func hasSamePayee(as other: RecipientRecord) -> Bool {
        name == other.name && country == other.country && currency == other.currency && iban == other.iban
            && accountNumber == other.accountNumber && bic == other.bic && ifsc == other.ifsc && routingNumber == other.routingNumber
    }
}
