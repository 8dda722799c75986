import DropHTML

/// The bank's approval page: one form, sign in and approve, or cancel. For a payment it shows
/// what the PSU approves (payee, creditor account, amount and currency, debtor account): dynamic
/// linking, RTS Art. 5. Signing in stands in for BankID at the bank: the national identity
/// number (`nationalId`), filled in when the bank already knows who must approve.
enum BankSandboxSCAPage {
    struct Line {
        let label: String
        let value: String
    }

    static func html(bankName: String, title: String, psuName: String?, nationalId: String?, lines: [Line], kind: String, id: String) -> HTML {
        let rows = lines.map { line -> HTML in "<dt>\(line.label)</dt><dd>\(line.value)</dd>" }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="nb">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(bankName) – \(title)</title></head>
        <body>
        <main>
        <h1>\(bankName): \(title)</h1>
        \(psuName.map { name -> HTML in "<p>Must be approved by <strong>\(name)</strong>.</p>" } ?? "<p>Sign in to see which accounts Drop gets to read.</p>")
        <dl>
        \(rows)
        </dl>
        <form method="post">
        <input type="hidden" name="kind" value="\(kind)">
        <input type="hidden" name="id" value="\(id)">
        <label for="nationalId">National identity number (BankID)</label>
        <input id="nationalId" name="nationalId" inputmode="numeric" autocomplete="off" value="\(nationalId ?? "")">
        <button type="submit" name="decision" value="approve">Approve</button>
        <button type="submit" name="decision" value="deny">Cancel</button>
        </form>
        </main>
        </body>
        </html>
        """
    }

    static func message(bankName: String, text: String) -> HTML {
        "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>\(bankName)</title></head><body><main><p>\(text)</p></main></body></html>"
    }
}
