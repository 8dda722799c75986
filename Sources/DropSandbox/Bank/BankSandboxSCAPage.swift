/// The bank's approval page: one form, approve or deny. For a payment it shows what the PSU
/// approves (payee, creditor account, amount and currency, debtor account): dynamic linking,
/// RTS Art. 5.
enum BankSandboxSCAPage {
    struct Line {
        let label: String
        let value: String
    }

    static func html(bankName: String, title: String, psuName: String, lines: [Line], kind: String, id: String) -> String {
        let rows = lines.map { "<dt>\(escape($0.label))</dt><dd>\(escape($0.value))</dd>" }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="nb">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(bankName)) – \(escape(title))</title></head>
        <body>
        <main>
        <h1>\(escape(bankName)): \(escape(title))</h1>
        <p>Must be approved by <strong>\(escape(psuName))</strong>.</p>
        <dl>
        \(rows)
        </dl>
        <form method="post">
        <input type="hidden" name="kind" value="\(escape(kind))">
        <input type="hidden" name="id" value="\(escape(id))">
        <button type="submit" name="decision" value="approve">Approve</button>
        <button type="submit" name="decision" value="deny">Deny</button>
        </form>
        </main>
        </body>
        </html>
        """
    }

    static func message(bankName: String, text: String) -> String {
        "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>\(escape(bankName))</title></head><body><main><p>\(escape(text))</p></main></body></html>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
