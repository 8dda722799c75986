import DropAPI
import DropCore
import DropHTML
import Foundation

/// `/transactions/{id}`: where a payment stands, in a sentence, with its amounts and history;
/// `/transactions`: the list, filtered by status.
enum TransactionPages {
    static func title(_ transaction: TransactionView, _ strings: Strings) -> String {
        transaction.recipient.map { strings.format("tx.to", ["name": $0.name]) }
            ?? transaction.merchant.map { strings.format("tx.to", ["name": $0.name]) } ?? strings["tx.payment"]
    }

    /// A status as a pill: its colour, its icon and its word (never colour alone).
    static func statusBadge(_ status: TransferStatus, _ strings: Strings) -> HTML {
        #"<span class="status status-\#(status.rawValue)">\#(statusIcon(status).svg())\#(strings["status.\(status.rawValue)"])</span>"#
    }

    static func statusIcon(_ status: TransferStatus) -> Icon {
        switch status {
        case .completed: .check
        case .failed: .cross
        case .processing: .progress
        case .pendingSCA: .clock
        case .held: .alert
        case .cancelled: .ban
        case .expired: .hourglass
        case .refunded: .undo
        }
    }

    /// What the total row says: whether the money will be, was, or was never taken.
    static func totalLabel(_ transaction: TransactionView, _ strings: Strings) -> String {
        if transaction.moneyReturn?.status == .pending { return strings["tx.total.returning"] }
        // The bank paid the shop after Drop had ended the payment: the money did leave the account.
        if transaction.settledAfterEndAt != nil { return strings["tx.total.taken"] }
        switch transaction.status {
        case .pendingSCA, .held: return strings["send.review.total"]
        case .processing, .completed: return strings["tx.total.taken"]
        case .refunded: return strings["tx.total.refunded"]
        case .failed, .cancelled, .expired: return strings["tx.total.notTaken"]
        }
    }

    /// Where the payment stands, in a sentence: never "no money was taken" when the bank paid after all.
    static func sentence(_ transaction: TransactionView, _ strings: Strings) -> String {
        if transaction.moneyReturn?.status == .pending { return strings["tx.sentence.returning"] }
        if transaction.settledAfterEndAt != nil {
            return strings.format("tx.sentence.settledAfterEnd", ["name": transaction.merchant?.name ?? ""])
        }
        return strings["tx.sentence.\(transaction.status.rawValue)"]
    }

    /// The tracker: the steps done and to come (each with an icon and its state in words, never
    /// colour alone) and, for a transfer abroad still under way, when it should arrive.
    static func tracker(_ transaction: TransactionView, _ strings: Strings) -> HTML {
        let status = transaction.status
        let remittance = transaction.merchant == nil
        let approved = (transaction.history ?? []).contains { [.processing, .completed].contains($0.status) }
        let progress = TransferProgress(remittance: remittance, status: status, wasApproved: approved)
        let steps = trackerSteps(progress.steps, strings) { step in
            let key = "tx.step.\(step.rawValue)\(remittance ? "" : ".qr")"
            return strings.has(key) ? strings[key] : strings["tx.step.\(step.rawValue)"]
        }
        var arrival: HTML = ""
        if remittance, [.pendingSCA, .held, .processing].contains(status),
           let country = transaction.recipient.flatMap({ CountryCode(rawValue: $0.country) }), let currency = transaction.receive?.currency,
           let corridor = Corridors.find(country: country, currency: currency) {
            let estimate = deliveryText(corridor.estimatedDelivery, strings)
            arrival = #"<p class="arrival">\#(strings.format(status == .processing ? "tx.arrival" : "tx.arrival.afterApproval", ["estimate": estimate]))</p>"#
        }
        return steps + arrival
    }

    /// The tracker's steps as a list, each labelled by `label` with its state in words.
    static func trackerSteps(_ steps: [TransferProgress.Entry], _ strings: Strings, label: (TransferProgress.Step) -> String) -> HTML {
        let items = steps.map { entry -> HTML in
            """
            <li class="step step-\(entry.state.rawValue)"\(entry.state == .current ? #" aria-current="step""# : "")>\
            <span class="step-mark">\(stepIcon(entry.state)?.svg() ?? "")</span><span class="step-label">\(label(entry.step))</span> <span class="step-state">\(strings["tx.step.state.\(entry.state.rawValue)"])</span></li>
            """
        }.joined(separator: "\n")
        return """
        <ol class="tracker" aria-label="\(strings["tx.tracker"])">
        \(items)
        </ol>
        """
    }

    static func stepIcon(_ state: TransferProgress.State) -> Icon? {
        switch state {
        case .done: .check
        case .current: .dot
        case .upcoming: nil
        case .stopped: .cross
        }
    }

    /// A corridor's delivery time ("same or next business day") in the page's language.
    static func deliveryText(_ estimate: String, _ strings: Strings) -> String {
        let key = "corridor.delivery.\(estimate)"
        return strings.has(key) ? strings[key] : estimate
    }

    /// - Parameter share: the tracking link's section for a transfer abroad (`TrackingPage.shareSection`).
    static func detail(_ viewer: Viewer, _ transaction: TransactionView, notice: String?, error: String?, share: HTML = "") -> HTML {
        let strings = viewer.strings
        let pending = transaction.status == .pendingSCA
        var rows: [(String, HTML)] = []
        if transaction.fee.minorUnits == 0 {
            // A QR payment: no fee to show, the amount is what is (or was not) taken.
            rows.append((totalLabel(transaction, strings), "\(strings.money(transaction.total))"))
        } else {
            rows += [
                (strings["send.review.amount"], "\(strings.money(transaction.amount))"),
                (strings["send.review.fee"], "\(strings.money(transaction.fee))"),
                (totalLabel(transaction, strings), "\(strings.money(transaction.total))"),
            ]
        }
        if let receive = transaction.receive { rows.append((strings["send.review.receive"], "\(strings.money(receive))")) }
        if let rate = transaction.rate, let currency = transaction.receive?.currency.code {
            rows.append(RateText.row(rate, currency: currency, strings))
        }
        if let recipient = transaction.recipient {
            rows.append((strings["send.review.recipient"], "\(recipient.name) – \(CountryNames.name(recipient.country, strings))"))
        }
        if let merchant = transaction.merchant {
            rows.append((strings["send.review.recipient"], "\(merchant.name), \(merchant.city)"))
        }
        if let order = transaction.standingOrderId {
            rows.append((strings["tx.standing"], #"<a href="/standing?order=\#(order)">\#(strings["tx.standing.link"])</a>"#))
        }
        // A QR payer's own text is theirs, never the shop's order reference.
        if let message = transaction.message { rows.append((strings[transaction.merchant == nil ? "send.message" : "pay.payerMessage"], HTML(text: message))) }
        // One reference: a shop's order reference when its signed code fixed one, else the payment's own.
        if transaction.merchant != nil, let reference = transaction.reference {
            rows.append((strings["tx.reference"], HTML(text: reference)))
        } else {
            rows.append((strings["tx.reference"], "<code>\(transaction.endToEndId)</code>"))
        }
        rows.append((strings["tx.created"], HTML(text: WebDates.format(transaction.createdAt, strings))))
        // The moment a shop payment is done, said plainly.
        let paid: HTML = transaction.merchant != nil && transaction.status == .completed ? """
            <p class="paid-moment">\(strings["tx.paid"]) <span aria-hidden="true">✓</span></p>
            <p class="paid-detail">\(strings.format("tx.paid.detail", ["amount": strings.money(transaction.total), "name": transaction.merchant?.name ?? ""]))</p>
            """ : ""

        let timeline = (transaction.history ?? []).map { entry -> HTML in
            """
            <li><span class="timeline-status">\(strings["status.\(entry.status.rawValue)"])</span>
            \(WebDates.element(entry.at, strings))</li>
            """
        }.joined(separator: "\n")
        // While the payment still moves, a small script follows it (the page works without it).
        let moving = [.pendingSCA, .processing, .held].contains(transaction.status)
        let live: HTML = moving ? #" data-live-status="/v1/transactions/\#(transaction.id)" data-status="\#(transaction.status.rawValue)""# : ""
        var actions: [HTML] = []
        if pending, let sca = transaction.scaRedirect {
            actions.append(#"<a class="button primary" href="\#(HTML.url(sca))">\#(strings["tx.approve"])</a>"#)
        }
        if pending {
            actions.append(Field.button(action: "/transactions/\(transaction.id)/cancel", label: strings["tx.cancel"], csrf: viewer.csrfToken))
        }
        actions.append(#"<a class="button" href="/v1/transactions/\#(transaction.id)/receipt">\#(strings["tx.receipt"])</a>"#)
        return Layout.page(title: title(transaction, strings), strings: strings, navigation: viewer.navigation, main: """
        <h1>\(title(transaction, strings))</h1>
        \(notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(Field.alert(error))
        <section class="card" aria-labelledby="tx-status"\(live)>
        <h2 id="tx-status">\(strings["tx.status"]): \(statusBadge(transaction.status, strings))</h2>
        \(paid)
        \(tracker(transaction, strings))
        <p class="lead">\(sentence(transaction, strings))</p>
        <div class="actions">\(actions.joined(separator: "\n"))</div>
        </section>
        <section class="card" aria-labelledby="tx-details">
        <h2 id="tx-details">\(strings["tx.details"])</h2>
        \(DetailList.render(rows))
        </section>
        \(share)
        <section class="card" aria-labelledby="tx-history">
        <h2 id="tx-history">\(strings["tx.history"])</h2>
        <ol class="timeline">\(timeline)</ol>
        </section>
        <p><a href="/transactions">\(strings["tx.all"])</a></p>
        \(moving ? #"<script src="/assets/live-status.js" defer></script>"# : "")
        """)
    }

    /// One line per transaction, for the history list and the dashboard.
    static func rows(_ transactions: [TransactionView], _ strings: Strings) -> HTML {
        #"<ul class="list transactions">"# + transactions.map { transaction -> HTML in
            """
            <li><a href="/transactions/\(transaction.id)"><span class="tx-title">\(title(transaction, strings))</span>
            <span class="tx-amount">\(strings.money(transaction.total))</span></a>
            \(statusBadge(transaction.status, strings)) \(WebDates.element(transaction.createdAt, strings))</li>
            """
        }.joined(separator: "\n") + "</ul>"
    }

    static func list(_ viewer: Viewer, _ page: Page<TransactionView>, status: String?) -> HTML {
        let strings = viewer.strings
        let statuses = TransferStatus.allCases.map { (value: $0.rawValue, label: strings["status.\($0.rawValue)"]) }
        let next = page.nextCursor.map { cursor -> HTML in
            let query = [status.map { "status=\($0)" }, "cursor=\(cursor)"].compactMap { $0 }.joined(separator: "&")
            return #"<p><a href="/transactions?\#(query)">\#(strings["tx.more"])</a></p>"#
        }
        return viewer.page("tx.list.title", """
        <h1>\(strings["tx.list.title"])</h1>
        <form method="get" action="/transactions" class="filter">
        \(Field.select(id: "status", name: "status", label: strings["tx.filter.status"], options: statuses, selected: status, error: nil,
                       placeholder: strings["tx.filter.all"]))
        <button class="button" type="submit">\(strings["tx.filter.submit"])</button>
        </form>
        \(page.items.isEmpty ? "<p>\(strings["tx.none"])</p>" : rows(page.items, strings))
        \(next)
        """)
    }
}
