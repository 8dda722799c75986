import DropAPI
import DropStore

/// `/dashboard`: the signed-in home screen (balances and transfers arrive with their features).
enum DashboardPage {
    static func render(_ strings: Strings, user: UserRecord, csrfToken: String) -> String {
        let name = user.givenName ?? user.name ?? ""
        return Layout.page(title: strings["dashboard.title"], strings: strings, main: """
        <section class="card">
        <h1>\(strings["dashboard.hello"]) \(htmlEscape(name))</h1>
        <p>\(strings["dashboard.kyc.\(user.kycStatus)"])</p>
        <form method="post" action="/logout">
        <input type="hidden" name="csrf" value="\(htmlEscape(csrfToken))">
        <button class="button" type="submit">\(strings["nav.logout"])</button>
        </form>
        </section>
        """)
    }
}
