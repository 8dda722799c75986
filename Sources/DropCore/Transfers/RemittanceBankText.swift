/// The message the payer's own bank carries with a remittance's NOK payment, and shows on their
/// statement and its approval page. The payee there is the payout partner's collection account
/// (Drop never holds the money; the partner pays the recipient abroad), so the message names the
/// real recipient, and it ends with the transfer's end-to-end id, whole, because that is what the
/// partner and Drop's support find the payment by.
public enum RemittanceBankText {
    /// The NextGenPSD2 unstructured remittance line.
    public static let maximumLength = 140
    static let prefix = "Drop til "

    /// "Drop til Hans Mueller 00AAF…": the recipient's name in the EPC Latin set every bank
    /// accepts, shortened so the id always fits. A name with letters no bank set has ("李")
    /// is left out rather than sent as dots: "Drop 00AAF…".
    public static func message(recipientName: String?, endToEndId: String) -> String {
        guard let name = lead(recipientName: recipientName) else { return "Drop " + endToEndId }
        let room = maximumLength - endToEndId.count - 1
        guard room > prefix.count else { return "Drop " + endToEndId }
        return String(name.prefix(room)).trimmingSurroundingWhitespace() + " " + endToEndId
    }

    /// What the message says before the id ("Drop til Hans Mueller"), for telling the person
    /// before they leave for their bank; nil when the name can't be written in the bank's set.
    public static func lead(recipientName: String?) -> String? {
        guard let recipientName, SEPACharacterSet.canTransliterate(recipientName) else { return nil }
        let words = SEPACharacterSet.transliterate(recipientName).split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return nil }
        return prefix + words.joined(separator: " ")
    }
}
