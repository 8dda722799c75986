import DropCore
import DropHTML
import Foundation

/// A printable receipt for a transaction (HTML; the browser prints it to PDF).
enum TransactionReceipt {
    static func html(_ view: TransactionView, english: Bool) -> HTML {
        let locale: DisplayLocale = english ? .en : .nb
        func money(_ value: Money?) -> String {
            value.map { $0.formatted(for: locale) } ?? "–"
        }
        // Labels are this code's own markup; the values are data and get escaped.
        let labels: [HTML] = english
            ? ["Receipt", "Status", "Sent", "Fee", "Total charged", "Recipient gets", "Rate", "Recipient", "Reference", "Created"]
            : ["Kvittering", "Status", "Sendt", "Gebyr", "Totalt trukket", "Mottaker får", "Kurs", "Mottaker", "Referanse", "Opprettet"]
        let rows: [(HTML, String)] = [
            (labels[1], view.status), (labels[2], money(view.amount)), (labels[3], money(view.fee)), (labels[4], money(view.total)),
            (labels[5], money(view.receive)), (labels[6], view.rate ?? "–"),
            // A QR payment's recipient is the merchant.
            (labels[7], view.recipient.map { "\($0.name) (\($0.country))" } ?? view.merchant.map { "\($0.name), \($0.city)" } ?? "–"),
            (labels[8], view.endToEndId), (labels[9], JSON.rfc3339(view.createdAt)),
        ] + qrTexts(view, english: english)
        return """
        <!doctype html>
        <html lang="\(english ? "en" : "nb")"><head><meta charset="utf-8"><title>Drop – \(labels[0])</title></head>
        <body><main><h1>Drop – \(labels[0])</h1>
        <dl>\(rows.map { row -> HTML in "<dt>\(row.0)</dt><dd>\(row.1)</dd>" })</dl>
        <p>Drop AS · PSD2 payment initiation · The payment was made by your own bank.</p>
        </main></body></html>
        """
    }

    /// A QR payment's order reference (signed by the merchant) and the payer's own message, each
    /// under its own label so one is never read as the other.
    static func qrTexts(_ view: TransactionView, english: Bool) -> [(HTML, String)] {
        guard view.kind == "qr_payment" else { return [] }
        var rows: [(HTML, String)] = []
        if let reference = view.reference {
            rows.append((english ? "Order reference (set by the shop)" : "Ordrereferanse (satt av bedriften)", reference))
        }
        if let message = view.message {
            rows.append((english ? "Payer's message (not an order reference)" : "Melding fra betaler (ikke ordrereferanse)", message))
        }
        return rows
    }
}
