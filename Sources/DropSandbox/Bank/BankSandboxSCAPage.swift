/// The bank's approval page: one form, sign in and approve, or cancel. For a payment it shows
/// what the PSU approves (payee, creditor account, amount and currency, debtor account): dynamic
/// linking, RTS Art. 5. Signing in stands in for BankID at the bank: the national identity
/// number (`nationalId`), filled in when the bank already knows who must approve.
enum BankSandboxSCAPage {
    struct Line {
        let label: String
        let value: String
    }

    static func html(bankName: String, title: String, psuName: String?, nationalId: String?, lines: [Line], kind: String, id: String) -> String {
        let rows = lines.map { "<dt>\(escape($0.label))</dt><dd>\(escape($0.value))</dd>" }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="nb">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(bankName)) – \(escape(title))</title></head>
        <body>
        <main>
        <h1>\(escape(bankName)): \(escape(title))</h1>
        \(psuName.map { "<p>Must be approved by <strong>\(escape($0))</strong>.</p>" } ?? "<p>Sign in to see which accounts Drop gets to read.</p>")
        <dl>
        \(rows)
        </dl>
        <form method="post">
        <input type="hidden" name="kind" value="\(escape(kind))">
        <input type="hidden" name="id" value="\(escape(id))">
        <label for="nationalId">National identity number (BankID)</label>
        <input id="nationalId" name="nationalId" inputmode="numeric" autocomplete="off" value="\(escape(nationalId ?? ""))">
        <button type="submit" name="decision" value="approve">Approve</button>
        <button type="submit" name="decision" value="deny">Cancel</button>
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
