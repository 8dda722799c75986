import DropAPI
import DropHTML
import Foundation

/// `/scan`: pay a shop by its QR code. The camera (where the browser has a barcode detector)
/// or a pasted link lead to the same place: the shop's `/pay/{code}` page.
enum ScanPage {
    static func render(_ viewer: Viewer, link: String?, error: String?) -> HTML {
        let strings = viewer.strings
        return viewer.page("scan.title", """
        <h1>\(strings["scan.title"])</h1>
        <p>\(strings["scan.lead"])</p>
        <section class="card" id="scanner" hidden aria-labelledby="scan-camera">
        <h2 id="scan-camera">\(strings["scan.camera"])</h2>
        <video id="scan-video" playsinline muted></video>
        <p id="scan-status" role="status" data-looking="\(strings["scan.looking"])" data-denied="\(strings["scan.denied"])" \
        data-foreign="\(strings["scan.foreign"])"></p>
        <button class="button primary" type="button" id="scan-start">\(strings["scan.start"])</button>
        </section>
        <section class="card" aria-labelledby="scan-paste">
        <h2 id="scan-paste">\(strings["scan.paste"])</h2>
        <form method="get" action="/scan" id="scan-form" novalidate>
        \(Field.text(id: "link", name: "link", label: strings["scan.link"], value: link, error: error, type: "url",
                     attributes: #" inputmode="url" autocomplete="off""#, hint: strings["scan.link.hint"]))
        <button class="button" type="submit">\(strings["scan.open"])</button>
        </form>
        </section>
        <script src="/assets/scan.js" defer></script>
        """)
    }
}

/// Which Drop payment page a scanned or pasted link leads to. Accepts Drop's own links
/// (`PUBLIC_BASE_URL/pay/{code}…`) and the app's deep link (`drop://pay/{code}…`); anything else,
/// including look-alike hosts, is refused rather than followed.
enum PaymentLinkTarget {
    static let carriedParameters = ["amount", "ref", "exp", "sig"]

    static func path(for text: String, publicBaseURL: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= 2048, let url = URLComponents(string: trimmed), let base = URLComponents(string: publicBaseURL) else { return nil }
        let code: String
        if url.scheme == "drop", url.host == "pay" {
            code = String(url.path.drop(while: { $0 == "/" }))
        } else if url.scheme == base.scheme, url.host?.lowercased() == base.host?.lowercased(), url.port == base.port, url.path.hasPrefix("/pay/") {
            code = String(url.path.dropFirst("/pay/".count))
        } else {
            return nil
        }
        guard (1...64).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var target = URLComponents()
        target.path = "/pay/\(code)"
        let carried = (url.queryItems ?? []).filter { carriedParameters.contains($0.name) }
        target.queryItems = carried.isEmpty ? nil : carried
        return target.string
    }
}
