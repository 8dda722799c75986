import DropAPI
import DropCore
import DropHTML

/// `/t/{token}`: the page a receiver opens from the link the sender shared. No sign-in, nothing
/// personal beyond the payer's first name; in the receiver's language (Accept-Language or the
/// language switch). An unknown, stopped or expired link is a 404 that says so.
enum TrackingPage {
    static func render(_ view: TrackingLinkService.ReceiverView, _ strings: Strings) -> HTML {
        let title = view.payer.map { strings.format("track.title", ["payer": $0]) } ?? strings["track.title.anonymous"]
        let steps = TransactionPages.trackerSteps(view.steps, strings) { strings["track.step.\($0.rawValue)"] }
        let sentence: HTML = switch view.status {
        case .failed, .cancelled, .expired: #"<p class="lead">\#(strings["track.sentence.stopped"])</p>"#
        case .refunded: #"<p class="lead">\#(strings["track.sentence.returned"])</p>"#
        case .pendingSCA, .processing, .held, .completed: ""
        }
        let arrival: HTML = view.estimatedDelivery.map { estimate -> HTML in
            #"<p class="arrival">\#(strings.format("track.arrival", ["estimate": TransactionPages.deliveryText(estimate, strings)]))</p>"#
        } ?? ""
        let amount: HTML = view.receive.map { money -> HTML in
            #"<p class="amount-received"><span>\#(strings["track.receive"])</span> <strong>\#(strings.money(money))</strong></p>"#
        } ?? ""
        return Layout.page(title: title, strings: strings, main: """
        <h1>\(title)</h1>
        <section class="card" aria-labelledby="track-status">
        <h2 id="track-status">\(strings["tx.status"]): \(TransactionPages.statusBadge(view.status, strings))</h2>
        \(amount)
        \(steps)
        \(arrival)
        \(sentence)
        <p class="muted">\(strings.format("track.updated", ["time": WebDates.format(view.updatedAt, strings)]))</p>
        </section>
        <p class="muted">\(strings["track.about"])</p>
        """)
    }

    static func notFound(_ strings: Strings) -> HTML {
        Layout.page(title: strings["track.notFound.title"], strings: strings, main: """
        <section class="card">
        <h1>\(strings["track.notFound.title"])</h1>
        <p>\(strings["track.notFound"])</p>
        </section>
        """)
    }

    /// The sender's side, on the transfer's page: share a link, see the one just made, stop sharing.
    static func shareSection(_ transaction: TransactionView, shared: TrackingLinkService.SharedLink?, isShared: Bool,
                             viewer: Viewer) -> HTML {
        let strings = viewer.strings
        let action = "/transactions/\(transaction.id)/tracking-link"
        var body: [HTML] = [#"<p>\#(strings["track.share.lead"])</p>"#]
        if let shared {
            body.append("""
            <p role="status">\(strings["track.shared"])</p>
            <p><label for="tracking-url">\(strings["track.shared.label"])</label>
            <input id="tracking-url" type="url" readonly value="\(shared.url)" data-share-url></p>
            <p class="actions"><button class="button primary" type="button" data-copy="tracking-url" data-copied="\(strings["track.copied"])" hidden>\(strings["track.copy"])</button>\
            <button class="button" type="button" data-share="tracking-url" hidden>\(strings["track.send"])</button></p>
            """)
        }
        var actions = [Field.button(action: action, label: strings[isShared ? "track.share.again" : "track.share.button"], csrf: viewer.csrfToken,
                                    primary: !isShared, describedBy: isShared ? "track-replaces" : nil)]
        if isShared {
            actions.append(Field.button(action: action + "/stop", label: strings["track.stop"], csrf: viewer.csrfToken))
            body.append(#"<p class="muted" id="track-replaces">\#(strings["track.share.replaces"])</p>"#)
        }
        return """
        <section class="card" aria-labelledby="track-share">
        <h2 id="track-share">\(strings["track.share.title"])</h2>
        \(body.joined(separator: "\n"))
        <div class="actions">\(actions.joined(separator: "\n"))</div>
        </section>
        \(shared != nil ? #"<script src="/assets/share.js" defer></script>"# : "")
        """
    }
}
