import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation

/// `/merchant`: register a business (form with inline errors), or the merchant's QR codes,
/// today's totals and payments, kept live by `merchant.js` when scripts run.
enum MerchantPage {
    struct Registration: Sendable {
        var organisationNumber = ""
        var name = ""
        var mcc = ""
        var city = ""
        var settlementBankAccountId = ""

        init(_ field: (String) -> String?) {
            organisationNumber = field("organisationNumber") ?? ""
            name = field("name") ?? ""
            mcc = field("mcc") ?? ""
            city = field("city") ?? ""
            settlementBankAccountId = field("settlementBankAccountId") ?? ""
        }

        var input: MerchantService.Input {
            .init(organisationNumber: organisationNumber, name: name, mcc: mcc, city: city, settlementAccount: nil,
                  settlementBankAccountId: settlementBankAccountId)
        }
    }

    /// Who may register: a verified person, settling to one of their own linked accounts.
    struct Owner {
        var kycApproved: Bool
        /// Their linked, active NOK accounts with a Norwegian number.
        var accounts: [LinkedAccount]
    }

    static func register(_ viewer: Viewer, _ input: Registration, owner: Owner, errors: [String: String]) -> HTML {
        let strings = viewer.strings
        func field(_ name: String, _ value: String, hint: Bool = false, attributes: HTML = "") -> HTML {
            Field.text(id: name, name: name, label: strings["merchant.field.\(name)"], value: value, error: errors[name],
                       attributes: attributes, hint: hint ? strings["merchant.field.\(name).hint"] : nil)
        }
        let head: HTML = """
        <h1>\(strings["merchant.register.title"])</h1>
        <p>\(strings["merchant.register.lead"])</p>
        \(Field.alert(errors["form"]))
        """
        guard owner.kycApproved else {
            return viewer.page("merchant.title", head + #"<p class="notice">\#(strings["merchant.register.kyc"]) <a href="/onboarding">\#(strings["send.kyc.link"])</a></p>"#)
        }
        guard !owner.accounts.isEmpty else {
            return viewer.page("merchant.title", head + #"<p class="notice">\#(strings["merchant.register.noaccounts"]) <a href="/bank-accounts">\#(strings["dashboard.banks"])</a></p>"#)
        }
        let accountId = "settlementBankAccountId"
        return viewer.page("merchant.title", head + """
        <form method="post" action="/merchant" class="card" novalidate>
        \(Field.csrf(viewer.csrfToken))
        \(field("organisationNumber", input.organisationNumber, attributes: #" inputmode="numeric" autocomplete="off""#))
        \(field("name", input.name, attributes: #" maxlength="70" autocomplete="organization""#))
        \(field("mcc", input.mcc, hint: true, attributes: #" inputmode="numeric" maxlength="4""#))
        \(field("city", input.city, attributes: #" maxlength="50" autocomplete="address-level2""#))
        \(Field.select(id: accountId, name: accountId, label: strings["merchant.field.\(accountId)"],
                       options: owner.accounts.map { ($0.record.id, SendMoneyPage.accountLabel($0, strings)) },
                       selected: input.settlementBankAccountId.isEmpty ? owner.accounts.first?.record.id : input.settlementBankAccountId,
                       error: errors[accountId] ?? errors["settlementAccount"]))
        <p class="hint">\(strings["merchant.field.\(accountId).hint"])</p>
        <button class="button primary" type="submit">\(strings["merchant.register.submit"])</button>
        </form>
        """, errors: errors)
    }

    /// The API's refusal of a registration, per form field, in the page's language.
    static func registrationErrors(_ error: AppError, _ strings: Strings) -> [String: String] {
        guard error.code == "VALIDATION_FAILED", !error.details.isEmpty else {
            let key = "merchant.error.\(error.code)"
            return ["form": strings.has(key) ? strings[key] : FieldErrors.message(error, strings)]
        }
        var errors: [String: String] = [:]
        for detail in error.details {
            let field = detail.field ?? "form"
            guard errors[field] == nil else { continue }
            let keys = ["merchant.error.\(field).\(detail.issue)", "merchant.error.\(detail.issue)", "error.issue.\(detail.issue)"]
            errors[field] = keys.first(where: strings.has).map { strings[$0] } ?? strings["error.issue.invalid"]
        }
        return errors
    }

    struct Dynamic {
        var amount = ""
        var reference = ""
        var link: PaymentLinkView?
        var svg: HTML?
        var errors: [String: String] = [:]
    }

    struct State {
        var merchant: MerchantView
        var staticLink: PaymentLinkView
        var staticSVG: HTML
        var dynamic: Dynamic
        var today: MerchantDashboardService.Dashboard
    }

    /// One payment to the shop: amount, time, status, the order reference or the payer's words.
    static func payment(_ viewer: Viewer, merchant: MerchantView, _ payment: MerchantDashboardService.Payment) -> HTML {
        let strings = viewer.strings
        var rows: [(String, HTML)] = [
            (strings["merchant.payments.amount"], "\(strings.money(payment.amount))"),
            (strings["merchant.payments.status"], TransactionPages.statusBadge(payment.status, strings)),
            (strings["tx.created"], HTML(text: WebDates.format(payment.createdAt, strings))),
        ]
        if let completed = payment.completedAt { rows.append((strings["merchant.payment.completed"], HTML(text: WebDates.format(completed, strings)))) }
        if let reversed = payment.reversalReportedAt {
            rows.append((strings["merchant.payment.reversed"], HTML(text: "\(WebDates.format(reversed, strings)). \(strings["merchant.payment.reversal"])")))
        }
        if let paid = payment.settledAfterEndAt {
            rows.append((strings["merchant.payment.settledAfterEnd"],
                         HTML(text: "\(WebDates.format(paid, strings)). \(strings["merchant.payment.settledAfterEnd.note"])")))
        }
        if let reference = payment.reference { rows.append((strings["merchant.payments.reference"], HTML(text: reference))) }
        if let message = payment.payerMessage { rows.append((strings["merchant.payments.payerMessage"], HTML(text: message))) }
        let title = strings.format("merchant.payment.title", ["amount": strings.money(payment.amount)])
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        <h1>\(title)</h1>
        <p class="muted">\(merchant.name)</p>
        <section class="card" aria-labelledby="payment-details">
        <h2 id="payment-details">\(strings["tx.details"])</h2>
        \(DetailList.render(rows))
        </section>
        <p><a href="/merchant">\(strings["merchant.payment.back"])</a></p>
        """)
    }

    static func dashboard(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let merchant = state.merchant
        let alt = strings.format("merchant.qr.alt", ["name": merchant.name])
        let dynamic = state.dynamic
        let dynamicCode = dynamic.link.flatMap { link in
            dynamic.svg.map { svg -> HTML in
                """
                <figure class="qr" role="group" aria-label="\(alt)">\(svg)
                <figcaption><a href="\(HTML.url(link.url))">\(link.url)</a><br>
                \(strings.format("merchant.qr.expires", ["time": link.expiresAt.map(WebDates.time) ?? ""]))</figcaption></figure>
                """
            }
        }
        let statusLabels = Dictionary(uniqueKeysWithValues: TransferStatus.allCases.map { ($0.rawValue, strings["status.\($0.rawValue)"]) })
        let labelsJSON = (try? JSONSerialization.data(withJSONObject: statusLabels, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // The sprite's icon for each status, so a row the live list adds has the same pill.
        let statusIcons = Dictionary(uniqueKeysWithValues: TransferStatus.allCases.map { ($0.rawValue, TransactionPages.statusIcon($0).rawValue) })
        let iconsJSON = (try? JSONSerialization.data(withJSONObject: statusIcons, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // A completed payment the bank reports reversed: the shop must not rely on it yet.
        let reversalNote: HTML = "<br><small class=\"reversal\">\(strings["merchant.payment.reversal"])</small>"
        // Paid by the bank after Drop ended it: the shop has the money, so it must not ask again.
        let settledNote: HTML = "<br><small class=\"settled-after-end\">\(strings["merchant.payment.settledAfterEnd.note"])</small>"
        let rows = state.today.payments.map { payment -> HTML in
            """
            <tr id="payment-\(payment.id)" data-status="\(payment.status.rawValue)"\(payment.settledAfterEndAt == nil ? "" : #" data-settled-after-end="1""#)><td><a href="/merchant/payments/\(payment.id)">\(WebDates.time(payment.createdAt))</a></td><td class="amount">\(strings.money(payment.amount))</td>\
            <td>\(payment.reference ?? "")</td><td class="payer-message">\(payment.payerMessage ?? "")</td>\
            <td>\(TransactionPages.statusBadge(payment.status, strings))\(payment.settledAfterEndAt == nil ? "" : settledNote)\(payment.reversalReportedAt == nil ? "" : reversalNote)</td></tr>
            """
        }.joined(separator: "\n")
        return viewer.page("merchant.title", """
        <h1>\(merchant.name)</h1>
        <p class="muted">\(merchant.city) · \(strings["merchant.code"]) <strong>\(merchant.code)</strong></p>
        <section class="card" aria-labelledby="qr-static">
        <h2 id="qr-static">\(strings["merchant.qr.static"])</h2>
        <p>\(strings["merchant.qr.static.lead"])</p>
        <figure class="qr" role="group" aria-label="\(alt)">\(state.staticSVG)
        <figcaption><a href="\(HTML.url(state.staticLink.url))">\(state.staticLink.url)</a></figcaption></figure>
        </section>
        <section class="card" aria-labelledby="qr-dynamic">
        <h2 id="qr-dynamic">\(strings["merchant.qr.dynamic"])</h2>
        <p>\(strings["merchant.qr.dynamic.lead"])</p>
        <form method="get" action="/merchant" novalidate>
        \(Field.text(id: "amount", name: "amount", label: strings["merchant.qr.amount"], value: dynamic.amount, error: dynamic.errors["amount"],
                     attributes: #" inputmode="decimal" autocomplete="off""#))
        \(Field.text(id: "reference", name: "reference", label: "\(strings["merchant.qr.reference"]) (\(strings["onboarding.optional"]))",
                     value: dynamic.reference, error: dynamic.errors["reference"], attributes: #" maxlength="35" autocomplete="off""#))
        <button class="button primary" type="submit">\(strings["merchant.qr.make"])</button>
        </form>
        \(dynamicCode)
        </section>
        <section class="card" aria-labelledby="today">
        <h2 id="today">\(strings["merchant.today"])</h2>
        <dl class="summary">
        <div><dt>\(strings["merchant.today.count"])</dt><dd id="today-count">\(state.today.count)</dd></div>
        <div><dt>\(strings["merchant.today.total"])</dt><dd id="today-total" data-minor="\(state.today.total.minorUnits)">\(strings.money(state.today.total))</dd></div>
        <div><dt>\(strings["merchant.today.fees"])</dt><dd>\(strings.money(state.today.fees))</dd></div>
        </dl>
        </section>
        <section class="card" aria-labelledby="payments-heading">
        <h2 id="payments-heading">\(strings["merchant.payments"])</h2>
        <p class="muted">\(strings["merchant.live"])</p>
        <p id="payments-none"\(state.today.payments.isEmpty ? "" : " hidden")>\(strings["merchant.payments.none"])</p>
        <div class="table-scroll" role="region" aria-labelledby="payments-heading" tabindex="0">
        <table id="merchant-payments" data-last-event-id="\(state.today.lastEventId)" data-day-from="\(WebDates.machine(state.today.from))" data-day-to="\(WebDates.machine(state.today.to))" data-status-labels="\(labelsJSON)" data-status-icons="\(iconsJSON)" data-reversal-note="\(strings["merchant.payment.reversal"])" data-settled-note="\(strings["merchant.payment.settledAfterEnd.note"])" data-locale="\(strings.language.scriptLocale)">
        <thead><tr><th scope="col">\(strings["merchant.payments.time"])</th><th scope="col">\(strings["merchant.payments.amount"])</th>\
        <th scope="col">\(strings["merchant.payments.reference"])</th><th scope="col">\(strings["merchant.payments.payerMessage"])</th>\
        <th scope="col">\(strings["merchant.payments.status"])</th></tr></thead>
        <tbody aria-live="polite">
        \(rows)
        </tbody>
        </table>
        </div>
        </section>
        <script src="/assets/merchant.js" defer></script>
        """)
    }
}

/// `/pay/{code}`: the page a payer's phone camera opens. Anyone sees who they would pay; a
/// signed-in payer picks the account (and for a static code the amount) and goes to the bank.
enum PayPage {
    struct State {
        var merchant: PublicMerchantView
        var link: PaymentLink
        /// Set when the link can't be paid: expired or not Drop's.
        var linkError: String?
        var viewer: Viewer?
        var kycApproved = false
        var accounts: [LinkedAccount] = []
        var amount = ""
        var bankAccountId = ""
        var idempotencyKey = RecordID.make()
        var errors: [String: String] = [:]
        /// The payment that already holds this one-purchase code: it is not offered again.
        var holder: PaymentLinkHolder?
        /// The business can't be paid now (its owner's standing): nothing is offered.
        var unavailable = false
    }

    static func path(_ link: PaymentLink) -> String {
        link.url(base: "")
    }

    static func render(_ strings: Strings, _ state: State) -> HTML {
        let merchant = state.merchant
        let link = state.link
        var blocks: [HTML] = []
        if let terms = link.terms {
            var rows: [(String, HTML)] = [(strings["pay.amount"].replacingOccurrences(of: " (kr)", with: "").replacingOccurrences(of: " (NOK)", with: ""),
                         "<strong>\(strings.money(Money(minorUnits: terms.amountMinor, currency: .nok)))</strong>")]
            if !terms.reference.isEmpty { rows.append((strings["pay.reference"], HTML(text: terms.reference))) }
            blocks.append(#"<dl class="summary">\#(rows.map { row -> HTML in "<div><dt>\(row.0)</dt><dd>\(row.1)</dd></div>" })</dl>"#)
        }
        if let holder = state.holder {
            blocks.append(paid(holder, strings, state))
        } else if state.unavailable {
            blocks.append(#"<p class="notice" role="status" id="pay-unavailable">\#(strings["pay.unavailable"])</p>"#)
        } else if let error = state.linkError {
            blocks.append(Field.alert(error))
        } else if let viewer = state.viewer {
            blocks.append(form(viewer, state))
        } else {
            let back = "/v1/auth/bankid/start?client=web&redirect=" + URLQuery.value(path(link))
            blocks.append(#"<a class="button primary" href="\#(back)">\#(strings["pay.signin"])</a>"#)
        }
        // What Drop knows: who the owner is. Whether the business is theirs is not checked (Enhetsregisteret
        // is not asked), so the page never says "verified business"; the number shows which one it claims.
        let ownerChecked: HTML = merchant.verified ? #"<p><span class="status status-completed">\#(Icon.check.svg())\#(strings["pay.ownerChecked"])</span></p>"# : ""
        let organisation = (try? OrganisationNumber(merchant.organisationNumber))?.formatted ?? merchant.organisationNumber
        let main: HTML = """
        <section class="card" aria-labelledby="pay-heading">
        <p class="muted">\(strings["pay.title"])</p>
        <h1 id="pay-heading">\(merchant.name)</h1>
        <p class="muted">\(merchant.city) · \(strings.format("pay.organisationNumber", ["number": organisation]))</p>
        \(ownerChecked)
        \(blocks.joined(separator: "\n"))
        </section>
        """
        let title = strings["pay.title"] + " " + merchant.name
        return Layout.page(title: title, strings: strings, navigation: state.viewer?.navigation, main: main, errors: state.errors)
    }

    /// A code already paid, or being paid: said so, with the payer's own payment linked for them.
    static func paid(_ holder: PaymentLinkHolder, _ strings: Strings, _ state: State) -> HTML {
        let done = holder.status == .completed
        var text: HTML = #"<p class="notice" role="status" id="pay-used">\#(strings[done ? "pay.paid" : "pay.inprogress"])</p>"#
        if let viewer = state.viewer, viewer.userId == holder.userId {
            let target = done ? "/v1/transactions/\(holder.transactionId)/receipt" : "/transactions/\(holder.transactionId)"
            text += #"<a class="button primary" href="\#(target)">\#(strings[done ? "pay.receipt" : "pay.follow"])</a>"#
        }
        return text
    }

    static func form(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        guard state.kycApproved else {
            return #"<p class="notice">\#(strings["pay.kyc"]) <a href="/onboarding">\#(strings["send.kyc.link"])</a></p>"#
        }
        let accounts = state.accounts.filter { $0.record.status == .active && $0.record.currency == Currency.nok.code }
        guard !accounts.isEmpty else {
            return #"<p class="notice">\#(strings["pay.noaccounts"]) <a href="/bank-accounts">\#(strings["dashboard.banks"])</a></p>"#
        }
        var fields: [HTML] = [Field.csrf(viewer.csrfToken), Field.hidden("idempotencyKey", state.idempotencyKey)]
        if let terms = state.link.terms {
            fields += [Field.hidden("amountMinor", String(terms.amountMinor)), Field.hidden("reference", terms.reference),
                       Field.hidden("expiresAt", String(terms.expiresAt)), Field.hidden("signature", state.link.signature)]
        } else {
            fields.append(Field.text(id: "amount", name: "amount", label: strings["pay.amount"], value: state.amount, error: state.errors["amount"],
                                     attributes: #" inputmode="decimal" autocomplete="off""#))
        }
        fields.append(Field.select(id: "bankAccountId", name: "bankAccountId", label: strings["pay.account"],
                                   options: accounts.map { ($0.record.id, SendMoneyPage.accountLabel($0, strings)) },
                                   selected: state.bankAccountId.isEmpty ? accounts.first?.record.id : state.bankAccountId,
                                   error: state.errors["bankAccountId"]))
        return """
        \(Field.alert(state.errors["form"]))
        <form method="post" action="\("/pay/" + state.link.code.value)" novalidate>
        \(fields.joined(separator: "\n"))
        <p>\(strings.format("pay.bank", ["name": state.merchant.name]))</p>
        <button class="button primary" type="submit">\(strings["pay.confirm"])</button>
        </form>
        """
    }
}
