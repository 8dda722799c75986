import DropCore
import Foundation

/// A printable receipt for a transaction (HTML; the browser prints it to PDF).
enum TransactionReceipt {
    static func html(_ view: TransactionView, english: Bool) -> String {
        let locale: DisplayLocale = english ? .en : .nb
        func money(_ value: Money?) -> String {
            value.map { htmlEscape($0.formatted(for: locale)) } ?? "–"
        }
        let labels = english
            ? ["Receipt", "Status", "Sent", "Fee", "Total charged", "Recipient gets", "Rate", "Recipient", "Reference", "Created"]
            : ["Kvittering", "Status", "Sendt", "Gebyr", "Totalt trukket", "Mottaker får", "Kurs", "Mottaker", "Referanse", "Opprettet"]
        let rows: [(String, String)] = [
            (labels[1], htmlEscape(view.status)), (labels[2], money(view.amount)), (labels[3], money(view.fee)), (labels[4], money(view.total)),
            (labels[5], money(view.receive)), (labels[6], htmlEscape(view.rate ?? "–")),
            // A QR payment's recipient is the merchant.
            (labels[7], htmlEscape(view.recipient.map { "\($0.name) (\($0.country))" } ?? view.merchant.map { "\($0.name), \($0.city)" } ?? "–")),
            (labels[8], htmlEscape(view.endToEndId)), (labels[9], htmlEscape(JSON.rfc3339(view.createdAt))),
        ] + qrTexts(view, english: english)
        return """
        <!doctype html>
        <html lang="\(english ? "en" : "nb")"><head><meta charset="utf-8"><title>Drop – \(labels[0])</title></head>
        <body><main><h1>Drop – \(labels[0])</h1>
        <dl>\(rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined())</dl>
        <p>Drop AS · PSD2 payment initiation · The payment was made by your own bank.</p>
        </main></body></html>
        """
    }

    /// A QR payment's order reference (signed by the merchant) and the payer's own message, each
    /// under its own label so one is never read as the other.
    static func qrTexts(_ view: TransactionView, english: Bool) -> [(String, String)] {
        guard view.kind == "qr_payment" else { return [] }
        var rows: [(String, String)] = []
        if let reference = view.reference {
            rows.append((english ? "Order reference (set by the shop)" : "Ordrereferanse (satt av bedriften)", htmlEscape(reference)))
        }
        if let message = view.message {
            rows.append((english ? "Payer's message (not an order reference)" : "Melding fra betaler (ikke ordrereferanse)", htmlEscape(message)))
        }
        return rows
    }
}
