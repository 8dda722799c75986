import Foundation

/// The receipt's words in Norwegian and English. (The web app's own strings live in DropWeb; the
/// receipt is served by the API too, so it carries its own.)
struct ReceiptText {
    let language: ReceiptLanguage

    init(_ language: ReceiptLanguage) {
        self.language = language
    }

    subscript(key: String) -> String {
        (language == .nb ? Self.nb : Self.en)[key] ?? key
    }

    func format(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// The country's name in the language (ICU's names), or its code.
    static func countryName(_ code: String, _ language: ReceiptLanguage) -> String {
        Locale(identifier: language == .nb ? "nb_NO" : "en_GB").localizedString(forRegionCode: code) ?? code
    }

    static let nb: [String: String] = [
        "title": "Kvittering", "back": "Tilbake til betalingen", "pdf": "Last ned som PDF",
        "section.payment": "Betalingen", "section.from": "Fra", "section.to": "Til", "section.amounts": "Beløp", "section.texts": "Tekst",
        "status": "Status", "created": "Opprettet", "completed": "Fullført", "reference": "Referanse",
        "payer": "Betaler", "account": "Konto", "bank": "Bank",
        "recipient": "Mottaker", "accountNumber": "Kontonummer", "routingNumber": "Routingnummer", "recipientBank": "Mottakerens bank",
        "country": "Land", "merchant": "Bedrift",
        "paid": "Betalt", "sent": "Du sendte", "fee": "Gebyr (0,5 %)", "total": "Trukket fra kontoen din", "rate": "Kurs",
        "rate.value": "1 kr = {rate} {currency}", "receive": "Mottakeren får",
        "message": "Melding til mottakeren", "orderReference": "Ordrereferanse (satt av bedriften)",
        "payerMessage": "Melding fra betaler (ikke ordrereferanse)",
        "status.pending_sca": "Venter på godkjenning", "status.processing": "Under behandling", "status.held": "Til kontroll",
        "status.completed": "Fullført", "status.failed": "Mislyktes", "status.cancelled": "Avbrutt", "status.expired": "Utløpt",
        "status.refunded": "Tilbakeført",
        "footer.bank": "Betalingen ble gjort av din egen bank etter at du godkjente den der. Drop holder aldri pengene dine.",
        "footer.company": "Drop AS · betalingsinitierings- og kontoinformasjonstjeneste under tilsyn av Finanstilsynet",
    ]

    static let en: [String: String] = [
        "title": "Receipt", "back": "Back to the payment", "pdf": "Download as PDF",
        "section.payment": "The payment", "section.from": "From", "section.to": "To", "section.amounts": "Amounts", "section.texts": "Text",
        "status": "Status", "created": "Created", "completed": "Completed", "reference": "Reference",
        "payer": "Payer", "account": "Account", "bank": "Bank",
        "recipient": "Recipient", "accountNumber": "Account number", "routingNumber": "Routing number", "recipientBank": "Recipient's bank",
        "country": "Country", "merchant": "Business",
        "paid": "Paid", "sent": "You sent", "fee": "Fee (0.5%)", "total": "Taken from your account", "rate": "Rate",
        "rate.value": "NOK 1 = {currency} {rate}", "receive": "The recipient gets",
        "message": "Message to the recipient", "orderReference": "Order reference (set by the shop)",
        "payerMessage": "Payer's message (not an order reference)",
        "status.pending_sca": "Waiting for approval", "status.processing": "Processing", "status.held": "Under review",
        "status.completed": "Completed", "status.failed": "Failed", "status.cancelled": "Cancelled", "status.expired": "Expired",
        "status.refunded": "Refunded",
        "footer.bank": "The payment was made by your own bank after you approved it there. Drop never holds your money.",
        "footer.company": "Drop AS · payment initiation and account information service supervised by Finanstilsynet",
    ]
}
