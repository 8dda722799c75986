import DropAPI

/// `/login`: one button to BankID, and a plain explanation when sign-in came back with an error.
enum LoginPage {
    static func render(_ strings: Strings, error: String?) -> String {
        let message: String? = error.map { code in
            let key = "login.error.\(code)"
            return strings[key] == key ? strings["login.error.generic"] : strings[key]
        }
        let alert = message.map { #"<p class="alert" role="alert" id="login-error">\#(htmlEscape($0))</p>"# } ?? ""
        return Layout.page(title: strings["login.title"], strings: strings, main: """
        <section class="card">
        <h1>\(strings["login.title"])</h1>
        \(alert)
        <p>\(strings["login.lead"])</p>
        <a class="button primary" href="/v1/auth/bankid/start?client=web"\(message == nil ? "" : #" aria-describedby="login-error""#)>\(strings["login.bankid"])</a>
        <p class="muted">\(strings["login.adults"])</p>
        </section>
        """)
    }
}
