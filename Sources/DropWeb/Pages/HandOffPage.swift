import DropHTML

/// What a form answers when it sends the person on to another site (their bank's approval page,
/// BankID, the identity check): the way there as a button, followed at once by a refresh
/// (`WebFeature.handOff`). Neither is a form's navigation, so CSP `form-action 'self'` lets both go.
enum HandOffPage {
    /// Where the person is going: it names the page and its button.
    enum Destination: String, Sendable {
        case bank
        case bankID = "bankid"
        case identityCheck = "identity"
    }

    static func render(_ strings: Strings, to location: String, _ destination: Destination) -> HTML {
        let action = strings["handoff.\(destination.rawValue)"]
        let url = HTML.url(location)
        return Layout.page(title: action, strings: strings, main: """
        <section class="card">
        <h1>\(action)</h1>
        <p>\(strings["handoff.lead"])</p>
        <p><a class="button primary" id="hand-off" href="\(url)">\(action)</a></p>
        </section>
        """, head: #"<meta http-equiv="refresh" content="0;url=\#(url)">"#)
    }
}
