/// Whether a stored payee's name and address can go on its corridor's rail: one saved before payments
/// abroad had to be in Latin letters (a Ukrainian recipient in Cyrillic) can't, and its payout would
/// fail only after the money left the payer's account. The one rule for refusing a new transfer
/// (`RecipientService.ensurePayable`), showing a recipient as not payable, and the job that tells
/// the customer and stops standing transfers paying such a payee.
public enum PayeeWriting {
    /// The fields checked, as the API names them.
    public static let fields = ["name", "address.street", "address.postCode", "address.city"]

    /// The first field its rail can't carry (`name`, `address.street`, `address.postCode`, `address.city`),
    /// or nil. nil too for a corridor Drop doesn't serve: the quote refuses that.
    public static func unwritableField(country: String, currency: String, name: String, street: String?, postCode: String?,
                                       city: String?) -> String? {
        guard let country = CountryCode(rawValue: country), let currency = Currency(rawValue: currency),
              let corridor = Corridors.find(country: country, currency: currency) else { return nil }
        let texts = [name, street, postCode, city]
        for (field, text) in zip(fields, texts) {
            guard let text, !text.allSatisfy(\.isWhitespace) else { continue }
            if !PayeeName.isWritable(text, rail: corridor.rail) { return field }
        }
        return nil
    }
}
