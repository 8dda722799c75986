import DropAPI
import DropHTML

/// The HTML error page browsers get (API clients get the JSON envelope instead).
enum ErrorPageView {
    static func render(_ page: ErrorPage) -> HTML {
        let strings = Strings(Language.negotiate(cookie: page.languageCookie, acceptLanguage: page.acceptLanguage))
        let key = "error.\(page.status)"
        // Always in the page's language: the API's own (English) sentence never reaches the page.
        let message = strings.has(key) ? strings[key] : strings[page.status >= 500 ? "error.500" : "error.4xx"]
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
