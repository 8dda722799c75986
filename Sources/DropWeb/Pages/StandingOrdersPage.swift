import DropAPI
import DropCore
import DropHTML
import Foundation

/// `/standing`: the person's standing transfers (amount, how often, the next payment day, the
/// payments made) with pause, resume and stop; and the form that sets one up, approved once at the bank.
enum StandingOrdersPage {
    struct State {
        var orders: [StandingOrderView]
        var recipients: [RecipientView]
        var accounts: [LinkedAccount]
        var input: [String: String] = [:]
        var errors: [String: String] = [:]
        var notice: String?
    }

    static let formFields = ["recipientId", "bankAccountId", "amount", "frequency", "startDate", "endDate"]

    static func frequencyLabel(_ order: StandingOrderView, _ strings: Strings) -> String {
        order.frequency.isMonthBased
            ? strings.format("standing.when.\(order.frequency.rawValue)", ["day": "\(order.dayOfExecution)"])
            : strings["standing.when.\(order.frequency.rawValue)"]
    }

    static func render(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let list: HTML = state.orders.isEmpty ? "<p>\(strings["standing.none"])</p>"
            : #"<ul class="list">"# + state.orders.map { card(viewer, $0, errors: state.errors) }.joined(separator: "\n") + "</ul>"
        return viewer.page("standing.title", """
        <h1>\(strings["standing.title"])</h1>
        <p class="lead">\(strings["standing.lead"])</p>
        \(state.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        <section aria-labelledby="standing-list">
        <h2 id="standing-list">\(strings["standing.list"])</h2>
        \(list)
        </section>
        \(form(viewer, state))
        """, errors: state.errors)
    }

    static func card(_ viewer: Viewer, _ order: StandingOrderView, errors: [String: String] = [:]) -> HTML {
        let strings = viewer.strings
        let nameId = "standing-\(order.id)"
        var rows: [(String, HTML)] = [
            (strings["standing.amount"], HTML(text: strings.format("standing.amount.value", ["amount": strings.money(order.amount),
                                                                                          "total": strings.money(order.total)]))),
            (strings["standing.when"], HTML(text: frequencyLabel(order, strings))),
            (strings["standing.status"], HTML(text: strings["standing.status.\(order.status.rawValue)"])),
        ]
        if let next = order.nextPaymentDate { rows.append((strings["standing.next"], HTML(text: WebDates.day(iso: next, strings)))) }
        if let end = order.endDate { rows.append((strings["standing.end"], HTML(text: WebDates.day(iso: end, strings)))) }
        var actions: [HTML] = []
        switch order.status {
        case .pendingSCA:
            if let sca = order.scaRedirect { actions.append(#"<a class="button primary" href="\#(HTML.url(sca))">\#(strings["standing.approve"])</a>"#) }
        case .active:
            actions.append(Field.button(action: "/standing/pause?id=\(order.id)", label: strings["standing.pause"], csrf: viewer.csrfToken, describedBy: nameId))
        case .paused:
            // A fresh key each time the page is shown: a double tap is one resumption, a tap after a
            // refusal at the bank another.
            actions.append(Field.button(action: "/standing/resume?id=\(order.id)", label: strings["standing.resume"], csrf: viewer.csrfToken,
                                        key: RecordID.make(), primary: true, describedBy: nameId))
        default: break
        }
        if [.active, .paused, .pendingSCA].contains(order.status) {
            actions.append(#"<a class="button danger" href="/standing/stop?id=\#(order.id)" aria-describedby="\#(nameId)">\#(strings["standing.stop"])</a>"#)
        }
        // A new amount is a new order, approved at the bank; the old one runs until then.
        let changeError = errors["amount-\(order.id)"]
        let change: HTML = order.status.canBeReplaced ? """
        <details class="change"\(changeError == nil ? "" : " open")>
        <summary>\(strings["standing.change"])</summary>
        <form method="post" action="/standing/change?id=\(order.id)" novalidate>
        \(Field.csrf(viewer.csrfToken))
        \(Field.hidden("key", RecordID.make()))
        \(Field.text(id: "amount-\(order.id)", name: "amount", label: strings["standing.field.amount"], value: nil, error: changeError,
                     attributes: #" inputmode="decimal" autocomplete="off""#, hint: strings["standing.hint.change"]))
        <button class="button" type="submit">\(strings["standing.submit"])</button>
        </form>
        </details>
        """ : ""
        return """
        <li class="card">
        <h3 id="\(nameId)">\(order.recipient?.name ?? strings["standing.recipient.removed"]) · \(order.receiveCurrency)</h3>
        \(DetailList.render(rows))
        <p class="hint">\(strings["standing.rate.note"])</p>
        \(actions.isEmpty ? "" : #"<div class="actions">\#(actions.joined(separator: "\n"))</div>"#)
        \(change)
        </li>
        """
    }

    static func form(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        guard !state.recipients.isEmpty else {
            return #"<section class="card"><p class="notice">\#(strings["standing.norecipients"]) <a href="/recipients">\#(strings["nav.recipients"])</a></p></section>"#
        }
        let accounts = state.accounts.filter { $0.record.status == .active && $0.record.currency == Currency.nok.code }
        let recipientOptions = state.recipients.map { (value: $0.id, label: "\($0.name) · \(CountryNames.name($0.country, strings)) · \($0.currency)") }
        let accountOptions = accounts.map { (value: $0.record.id, label: SendMoneyPage.accountLabel($0, strings)) }
        let frequencies = StandingOrderFrequency.allCases.map { (value: $0.rawValue, label: strings["standing.frequency.\($0.rawValue)"]) }
        return """
        <section class="card" aria-labelledby="standing-new">
        <h2 id="standing-new">\(strings["standing.new"])</h2>
        \(Field.alert(state.errors["form"]))
        <form method="post" action="/standing" novalidate>
        \(Field.csrf(viewer.csrfToken))
        \(Field.hidden("key", state.input["key"] ?? RecordID.make()))
        \(Field.select(id: "recipientId", name: "recipientId", label: strings["send.recipient"], options: recipientOptions,
                       selected: state.input["recipientId"], error: state.errors["recipientId"], placeholder: strings["send.recipient.choose"]))
        \(Field.text(id: "amount", name: "amount", label: strings["standing.field.amount"], value: state.input["amount"], error: state.errors["amount"],
                     attributes: #" inputmode="decimal" autocomplete="off""#, hint: strings["standing.hint.amount"]))
        \(Field.select(id: "frequency", name: "frequency", label: strings["standing.field.frequency"], options: frequencies,
                       selected: state.input["frequency"] ?? "monthly", error: state.errors["frequency"]))
        \(Field.text(id: "startDate", name: "startDate", label: strings["standing.field.start"], value: state.input["startDate"],
                     error: state.errors["startDate"] ?? state.errors["dayOfExecution"], type: "date", hint: strings["standing.hint.start"]))
        \(Field.text(id: "endDate", name: "endDate", label: strings["standing.field.end"] + " (\(strings["onboarding.optional"]))",
                     value: state.input["endDate"], error: state.errors["endDate"], type: "date"))
        \(Field.select(id: "bankAccountId", name: "bankAccountId", label: strings["send.account"], options: accountOptions,
                       selected: state.input["bankAccountId"], error: state.errors["bankAccountId"]))
        <p class="hint">\(strings["standing.hint.bank"])</p>
        <button class="button primary" type="submit">\(strings["standing.submit"])</button>
        </form>
        </section>
        """
    }

    /// Stopping asks first, without JavaScript: the card's "Stop" opens this page, whose button posts.
    static func confirmStop(_ viewer: Viewer, _ order: StandingOrderView) -> HTML {
        let strings = viewer.strings
        let title = strings.format("standing.stop.title", ["name": order.recipient?.name ?? ""])
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        <section class="card danger" aria-labelledby="confirm-title">
        <h1 id="confirm-title">\(title)</h1>
        <p>\(strings.format("standing.amount.value", ["amount": strings.money(order.amount), "total": strings.money(order.total)])) · \(frequencyLabel(order, strings))</p>
        <p>\(strings["standing.stop.lead"])</p>
        <div class="actions">
        \(Field.button(action: "/standing/stop?id=\(order.id)", label: strings["standing.stop.confirm"], csrf: viewer.csrfToken, danger: true))
        <a class="button" href="/standing">\(strings["common.cancel"])</a>
        </div>
        </section>
        """)
    }
}
