import DropAPI
import DropHTML

/// `/offline`: what the installed app shows when the phone has no network. Kept by the service
/// worker, so it says nothing personal; it offers to try again.
enum OfflinePage {
    static func render(_ strings: Strings) -> HTML {
        Layout.page(title: strings["offline.title"], strings: strings, main: """
        <section class="card">
        <h1>\(strings["offline.title"])</h1>
        <p>\(strings["offline.body"])</p>
        <p><a class="button primary" href="/dashboard">\(strings["offline.retry"])</a></p>
        </section>
        """)
    }
}
