import DropAPI
import DropCore
import DropHTML
import Foundation

/// `/recipients`: the people money goes to; add one with exactly the fields its country's
/// corridor needs (choose the country first, which works without JavaScript), delete one.
enum RecipientsPage {
    struct State {
        var recipients: [RecipientView]
        /// The chosen corridor, e.g. `PL-PLN`; the add form appears once there is one.
        var corridor: Corridor?
        /// What was typed, by form field name (the API's, e.g. `address.city`).
        var input: [String: String] = [:]
        var errors: [String: String] = [:]
        var notice: String?
    }

    static func key(_ corridor: Corridor) -> String { "\(corridor.country.rawValue)-\(corridor.currency.code)" }

    /// Every corridor as a select's options ("Polen – PLN"), sorted by name in the page's language.
    static func corridorOptions(_ strings: Strings) -> [(value: String, label: String)] {
        Corridors.all
            .map { (value: key($0), label: "\(CountryNames.name($0.country.rawValue, strings)) – \($0.currency.code)") }
            .sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
    }

    static func corridor(_ key: String?) -> Corridor? {
        guard let parts = key?.split(separator: "-"), parts.count == 2,
              let country = CountryCode(rawValue: String(parts[0])), let currency = Currency(rawValue: String(parts[1])) else { return nil }
        return Corridors.find(country: country, currency: currency)
    }

    /// The form's fields for a corridor, in the order people fill them in: the required ones,
    /// and the post code with the rest of an address.
    static func fields(for corridor: Corridor) -> [String] {
        var fields = corridor.requiredFields.filter { $0 != "relationship" }
        if let city = fields.firstIndex(of: "address.city") { fields.insert("address.postCode", at: city) }
        return fields + ["relationship"]
    }

    /// The account money goes to, an IBAN grouped in fours.
    static func account(_ recipient: RecipientView) -> String {
        recipient.iban.map(IBANDisplay.grouped) ?? recipient.accountNumber ?? ""
    }

    /// The name as the recipient's bank will receive it, when the rail writes it differently
    /// ("Hans Müller" goes as "Hans Mueller" over SEPA); nil when it goes as typed.
    static func nameAtBank(_ recipient: RecipientView) -> String? {
        guard let rail = recipient.rail.flatMap(Rail.init(rawValue:)) else { return nil }
        let atBank = PayeeName.atBank(recipient.name, rail: rail)
        return atBank == recipient.name ? nil : atBank
    }

    /// "At the bank: Hans Mueller", or nothing.
    static func nameAtBankNote(_ recipient: RecipientView, _ strings: Strings) -> HTML {
        nameAtBank(recipient).map { name -> HTML in #"<p class="hint">\#(strings.format("recipients.atbank", ["name": name]))</p>"# } ?? ""
    }

    /// The IBAN hint with an example from the recipient's own country.
    static func ibanHint(_ corridor: Corridor, _ strings: Strings) -> String {
        IBANExamples.example(for: corridor.country).map { strings.format("recipients.hint.iban", ["example": $0.formatted]) }
            ?? strings["recipients.hint.iban.generic"]
    }

    /// Send and set up a standing transfer: not offered for a recipient the rail can't carry (`RecipientView.payable`).
    static func sendActions(_ recipient: RecipientView, describedBy nameId: String, _ strings: Strings) -> HTML {
        """
        <a class="button primary" href="/send?recipientId=\(recipient.id)" aria-describedby="\(nameId)">\(strings["recipients.send"])</a>
        <a class="button" href="/standing?recipientId=\(recipient.id)" aria-describedby="\(nameId)">\(strings["recipients.standing"])</a>
        """
    }

    static func render(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let list: HTML
        if state.recipients.isEmpty {
            list = "<p>\(strings["recipients.none"])</p>"
        } else {
            list = #"<ul class="list">"# + state.recipients.map { recipient -> HTML in
                let account = account(recipient)
                let nameId = "recipient-\(recipient.id)"
                return """
                <li class="card">
                <h3 id="\(nameId)">\(recipient.name)</h3>
                \(recipient.payable ? nameAtBankNote(recipient, strings) : #"<p class="notice">\#(strings["recipients.notpayable"])</p>"#)
                <p>\(CountryNames.name(recipient.country, strings)) · \(recipient.currency) · <span class="account-number">\(account)</span></p>
                <div class="actions">
                \(recipient.payable ? sendActions(recipient, describedBy: nameId, strings) : "")
                <a class="button danger" href="/recipients/\(recipient.id)/delete" aria-describedby="\(nameId)">\(strings["recipients.delete"])</a>
                </div>
                </li>
                """
            }.joined(separator: "\n") + "</ul>"
        }
        let corridors = corridorOptions(strings)
        let corridorError = state.errors["country"] ?? state.errors["currency"]
        let picker: HTML = """
        <form method="get" action="/recipients" novalidate>
        \(Field.select(id: "corridor", name: "corridor", label: strings["recipients.corridor"], options: corridors,
                       selected: state.corridor.map(key), error: corridorError, placeholder: strings["recipients.corridor.choose"]))
        <button class="button" type="submit">\(strings["recipients.corridor.submit"])</button>
        </form>
        """
        var addForm: HTML = ""
        if let corridor = state.corridor {
            let inputs = fields(for: corridor).map { field -> HTML in
                let id = field.replacingOccurrences(of: ".", with: "-")
                let label = strings["recipients.field.\(field)"] + (corridor.requiredFields.contains(field) ? "" : " (\(strings["onboarding.optional"]))")
                if field == "relationship" {
                    let options = Relationship.allCases.map { (value: $0.rawValue, label: strings["recipients.relationship.\($0.rawValue)"]) }
                    return Field.select(id: id, name: field, label: label, options: options, selected: state.input[field],
                                        error: state.errors[field], placeholder: strings["recipients.relationship.choose"])
                }
                let autocomplete: HTML = field == "name" ? #" autocomplete="off" autocapitalize="words""# : #" autocomplete="off" spellcheck="false""#
                let hint = field == "iban" ? ibanHint(corridor, strings)
                    : strings.has("recipients.hint.\(field)") ? strings["recipients.hint.\(field)"] : nil
                return Field.text(id: id, name: field, label: label, value: state.input[field], error: state.errors[field],
                                  attributes: autocomplete, hint: hint)
            }
            addForm = """
            <form method="post" action="/recipients" novalidate>
            \(Field.csrf(viewer.csrfToken))
            \(Field.hidden("corridor", key(corridor)))
            \(inputs.joined(separator: "\n"))
            <button class="button primary" type="submit">\(strings["recipients.add.submit"])</button>
            </form>
            """
        }
        return viewer.page("recipients.title", """
        <h1>\(strings["recipients.title"])</h1>
        \(state.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        <section aria-labelledby="recipients-list">
        <h2 id="recipients-list">\(strings["recipients.list"])</h2>
        \(list)
        </section>
        <section class="card" aria-labelledby="recipients-add">
        <h2 id="recipients-add">\(strings["recipients.add"])</h2>
        \(Field.alert(state.errors["form"]))
        \(picker)
        \(addForm)
        </section>
        """, errors: state.errors)
    }

    /// Deleting asks first, without JavaScript: the list's "Delete" opens this page, whose button posts.
    static func confirmDelete(_ viewer: Viewer, _ recipient: RecipientView) -> HTML {
        let strings = viewer.strings
        let title = strings.format("recipients.delete.title", ["name": recipient.name])
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        <section class="card danger" aria-labelledby="confirm-title">
        <h1 id="confirm-title">\(title)</h1>
        <p>\(CountryNames.name(recipient.country, strings)) · \(recipient.currency) · <span class="account-number">\(account(recipient))</span></p>
        <p>\(strings.format("recipients.delete.lead", ["name": recipient.name]))</p>
        <div class="actions">
        \(Field.button(action: "/recipients/\(recipient.id)/delete", label: strings["recipients.delete.confirm"], csrf: viewer.csrfToken, danger: true))
        <a class="button" href="/recipients">\(strings["common.cancel"])</a>
        </div>
        </section>
        """)
    }
}
