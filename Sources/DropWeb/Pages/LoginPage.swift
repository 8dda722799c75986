import DropAPI
import DropHTML
import Foundation

/// `/login`: one button to BankID, and a plain explanation when sign-in came back with an error.
enum LoginPage {
    /// `returnTo` is a path on Drop to come back to after signing in (the BankID start checks it again).
    static func render(_ strings: Strings, error: String?, returnTo: String? = nil) -> HTML {
        let message: String? = error.map { code in
            let key = "login.error.\(code)"
            return strings[key] == key ? strings["login.error.generic"] : strings[key]
        }
        let start = returnTo.map(URLQuery.value)
            .map { "/v1/auth/bankid/start?client=web&redirect=\($0)" } ?? "/v1/auth/bankid/start?client=web"
        let alert = message.map { text -> HTML in #"<p class="alert" role="alert" id="login-error">\#(text)</p>"# }
        return Layout.page(title: strings["login.title"], strings: strings, main: """
        <section class="card">
        <h1>\(strings["login.title"])</h1>
        \(alert)
        <p>\(strings["login.lead"])</p>
        <a class="button primary" href="\(start)"\(message == nil ? "" : #" aria-describedby="login-error""#)>\(strings["login.bankid"])</a>
        <p class="muted">\(strings["login.adults"])</p>
        </section>
        """)
    }
}
