/// The text the payer's bank carries to the merchant's statement with a QR payment. An order
/// reference the merchant's signature fixed and a payer's own words must never read alike: a shop
/// owner checking "was order 4711 paid?" on the statement would otherwise take a payer's
/// "4711" for it. So the prefix, which Drop writes and no payer can, says which one follows.
public enum QRPaymentText {
    public static let orderPrefix = "Drop ordre "
    public static let payerMessagePrefix = "Drop, fra betaler: "

    /// At most 140 code points (the NextGenPSD2 unstructured remittance line, Max140Text).
    public static func bankMessage(merchantName: String, orderReference: String?, payerMessage: String?) -> String {
        let text: String
        if let orderReference, !orderReference.isEmpty {
            text = orderPrefix + orderReference
        } else if let payerMessage, !payerMessage.isEmpty {
            text = payerMessagePrefix + payerMessage
        } else {
            text = "Drop " + merchantName
        }
        return text.prefix(codePoints: 140)
    }
}
