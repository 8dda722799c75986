import DropAPI
import DropHTML

/// The HTML error page browsers get (API clients get the JSON envelope instead).
enum ErrorPageView {
    static func render(_ page: ErrorPage) -> HTML {
        let strings = Strings(Language.negotiate(cookie: page.languageCookie, acceptLanguage: page.acceptLanguage))
        let key = "error.\(page.status)"
        let message = strings[key] == key ? (page.status >= 500 ? strings["error.500"] : page.message) : strings[key]
        return Layout.page(title: strings["error.title"], strings: strings, main: """
        <section class="error" role="alert">
        <h1>\(strings["error.title"]) <span class="status">(\(page.status))</span></h1>
        <p>\(message)</p>
        <p class="muted">\(strings["error.reference"]): <code>\(page.requestID)</code></p>
        <p><a href="/">\(strings["error.home"])</a></p>
        </section>
        """)
    }
}
