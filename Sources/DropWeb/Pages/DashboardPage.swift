import DropAPI
import DropCore
import DropHTML
import DropStore

/// `/dashboard`: the signed-in home screen: greeting, where sign-up stands, the balance.
enum DashboardPage {
    static func render(_ viewer: Viewer, user: UserRecord, accounts: [LinkedAccount], recent: TransactionService.Newest) -> HTML {
        let strings = viewer.strings
        // Drawn once per language for as long as these payments are kept: the rows come from the same answer.
        let rows: HTML = recent.items.isEmpty ? "<p>\(strings["tx.none"])</p>" : HTML(trustedMarkup: recent.renderings.markup("rows." + strings.language.rawValue) {
            TransactionPages.rows(recent.items, strings).description
        })
        let csrfToken = viewer.csrfToken
        let name = user.givenName ?? user.name ?? ""
        let locale = strings.displayLocale
        let total = LinkedAccount.nokTotal(of: accounts)
        let balance: HTML
        if accounts.isEmpty {
            balance = #"<p>\#(strings["dashboard.nobank"])</p>"#
        } else {
            let oldest = accounts.filter(\.stale).compactMap(\.record.balanceSyncedAt).min()
            let note = oldest.map { oldest -> HTML in #"<p class="note">\#(strings["banks.stale"]) \#(WebDates.format(oldest, strings))</p>"# }
            let amount: HTML = if let total { #"<p class="balance">\#(total.formatted(for: locale))</p>"# } else {
                #"<p>\#(strings["dashboard.balance.unavailable"])</p>"#
            }
            balance = """
            \(amount)
            \(note)
            """
        }
        return viewer.page("dashboard.title", """
        <section class="card">
        <h1>\(strings["dashboard.hello"]) \(name)</h1>
        <p>\(strings["dashboard.kyc.\(user.kycStatus.rawValue)"])</p>
        </section>
        <nav class="quick" aria-label="\(strings["dashboard.actions"])"><ul>
        <li><a class="button primary" href="/send">\(strings["nav.send"])</a></li>
        <li><a class="button" href="/recipients">\(strings["nav.recipients"])</a></li>
        <li><a class="button" href="/standing">\(strings["standing.title"])</a></li>
        <li><a class="button" href="/transactions">\(strings["nav.history"])</a></li>
        \(viewer.navigation.merchant ? #"<li><a class="button" href="/merchant">\#(strings["nav.merchant"])</a></li>"# : "")
        </ul></nav>
        <section class="card" aria-labelledby="recent">
        <h2 id="recent">\(strings["dashboard.recent"])</h2>
        \(rows)
        <p><a href="/transactions">\(strings["tx.all"])</a></p>
        </section>
        <section class="card">
        <h2>\(strings["dashboard.balance"])</h2>
        \(balance)
        <p><a class="button" href="/bank-accounts">\(strings["dashboard.banks"])</a></p>
        </section>
        <form method="post" action="/logout">
        <input type="hidden" name="csrf" value="\(csrfToken)">
        <button class="button" type="submit">\(strings["nav.logout"])</button>
        </form>
        """)
    }
}
