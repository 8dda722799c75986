import DropAPI
import DropHTML

/// `/`: what Drop is, in the visitor's language, and the way in.
enum HomePage {
    static func render(_ strings: Strings) -> HTML {
        Layout.page(title: strings["app.tagline"], strings: strings, main: """
        <section class="hero">
        <h1>\(strings["app.tagline"])</h1>
        <p class="lead">\(strings["home.lead"])</p>
        <p class="actions"><a class="button primary" href="/login">\(strings["login.bankid"])</a></p>
        <ul class="points">
        <li>\(strings["home.point.bank"])</li>
        <li>\(strings["home.point.bankid"])</li>
        <li>\(strings["home.point.qr"])</li>
        </ul>
        <p><a href="/docs">\(strings["home.docs"])</a></p>
        </section>
        """)
    }
}
