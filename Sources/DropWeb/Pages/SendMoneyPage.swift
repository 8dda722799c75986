import DropAPI
import DropCore
import DropHTML
import Foundation

/// `/send`: who gets the money, how much, from which account → `/send/quote`: the price to
/// review → `/send/confirm` → the bank's approval page.
enum SendMoneyPage {
    /// What the person typed or chose, kept through every step and error.
    struct Input: Sendable {
        var recipientId = ""
        var amount = ""
        var bankAccountId = ""
        var message = ""

        init(recipientId: String? = nil, amount: String? = nil, bankAccountId: String? = nil, message: String? = nil) {
            self.recipientId = recipientId ?? ""
            self.amount = amount ?? ""
            self.bankAccountId = bankAccountId ?? ""
            self.message = message ?? ""
        }

        init(_ field: (String) -> String?) {
            self.init(recipientId: field("recipientId"), amount: field("amount"), bankAccountId: field("bankAccountId"), message: field("message"))
        }

        var query: String {
            [("recipientId", recipientId), ("amount", amount), ("bankAccountId", bankAccountId), ("message", message)]
                .filter { !$0.1.isEmpty }
                .map { "\($0.0)=\(URLQuery.value($0.1))" }
                .joined(separator: "&")
        }
    }

    struct State {
        var recipients: [RecipientView]
        var accounts: [LinkedAccount]
        var kycApproved: Bool
        var input: Input
        /// Form field name → message; "form" for the page-level one.
        var errors: [String: String] = [:]
        /// Said above the form, e.g. that what they typed before signing in again was kept.
        var notice: String?
        /// What may still be sent today under the person's own limits (the lower of day and month).
        var remainingToday: Money?
    }

    static func accountLabel(_ account: LinkedAccount, _ strings: Strings) -> String {
        let record = account.record
        let number = BankAccountsPage.number(record)
        let balance = record.balanceMinor.flatMap { minor in
            Currency(rawValue: record.currency).map { Money(minorUnits: minor, currency: $0).formatted(for: strings.displayLocale) }
        }
        return [record.name ?? strings["banks.account"], BankDirectory.norway.name(of: record.bankId), number, balance]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    static func render(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let errors = state.errors
        var blocks: [HTML] = []
        if !state.kycApproved {
            blocks.append(#"<p class="notice">\#(strings["send.kyc"]) <a href="/onboarding">\#(strings["send.kyc.link"])</a></p>"#)
        }
        if state.recipients.isEmpty {
            blocks.append(#"<p class="notice">\#(strings["send.norecipients"]) <a href="/recipients">\#(strings["send.addrecipient"])</a></p>"#)
        }
        let accounts = state.accounts.filter { $0.record.status == .active && $0.record.currency == Currency.nok.code }
        if accounts.isEmpty {
            blocks.append(#"<p class="notice">\#(strings["send.noaccounts"]) <a href="/bank-accounts">\#(strings["dashboard.banks"])</a></p>"#)
        }
        let recipientOptions = state.recipients.map {
            (value: $0.id, label: "\($0.name) – \(CountryNames.name($0.country, strings)) (\($0.currency))")
        }
        let accountOptions = accounts.map { (value: $0.record.id, label: accountLabel($0, strings)) }
        return viewer.page("send.title", """
        <h1>\(strings["send.title"])</h1>
        \(state.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(blocks.joined(separator: "\n"))
        \(Field.alert(errors["form"]))
        <form method="post" action="/send/quote" class="card" novalidate>
        \(Field.csrf(viewer.csrfToken))
        \(Field.select(id: "recipientId", name: "recipientId", label: strings["send.recipient"], options: recipientOptions,
                       selected: state.input.recipientId, error: errors["recipientId"], placeholder: strings["send.recipient.choose"]))
        <p><a href="/recipients">\(strings["send.addrecipient"])</a></p>
        \(Field.text(id: "amount", name: "amount", label: strings["send.amount"], value: state.input.amount, error: errors["amount"],
                     attributes: #" inputmode="decimal" autocomplete="off""#,
                     hint: strings["send.amount.hint"] + (state.remainingToday.map { " " + strings.format("send.limit.today", ["amount": strings.money($0)]) } ?? "")))
        \(Field.select(id: "bankAccountId", name: "bankAccountId", label: strings["send.account"], options: accountOptions,
                       selected: state.input.bankAccountId, error: errors["bankAccountId"]))
        \(Field.text(id: "message", name: "message", label: "\(strings["send.message"]) (\(strings["onboarding.optional"]))",
                     value: state.input.message, error: errors["message"], attributes: #" maxlength="140""#))
        <button class="button primary" type="submit">\(strings["send.continue"])</button>
        </form>
        """, errors: errors)
    }

    struct Review {
        var quote: QuoteView
        var recipient: RecipientView
        var account: LinkedAccount?
        var input: Input
        /// Who the person's bank pays and shows as the payee: the payout partner's collection account.
        var bankPayee: String
        /// Made when this page is rendered: submitting its form twice makes one transfer.
        var idempotencyKey: String
        /// Why the last confirm didn't reach the bank; the page keeps its key, so trying again
        /// finishes that same transfer instead of making a second.
        var error: String? = nil
        /// Said above the price, e.g. that this is a new price because the last one expired.
        var notice: String? = nil
    }

    static func review(_ viewer: Viewer, _ review: Review) -> HTML {
        let strings = viewer.strings
        let quote = review.quote
        let rows: [(String, HTML)] = [
            (strings["send.review.recipient"], """
                \(review.recipient.name) – \(CountryNames.name(review.recipient.country, strings))\
                \(RecipientsPage.nameAtBank(review.recipient).map { name -> HTML in
                    #"<br><span class="hint">\#(strings.format("recipients.atbank", ["name": name]))</span>"# })
                """),
            // Where the money goes, as it will be paid: the bank's own page can't show it (it names the partner).
            (strings["send.review.payeeAccount"], #"<span class="account-number">\#(HTML(text: RecipientsPage.account(review.recipient)))</span>"#),
            (strings["send.review.amount"], "\(strings.money(quote.send))"),
            (strings["send.review.fee"], "\(strings.money(quote.fee))"),
            (strings["send.review.total"], "<strong>\(strings.money(quote.total))</strong>"),
            RateText.row(quote.rate, currency: quote.receive.currency.code, strings),
            (strings["send.review.receive"], "<strong>\(strings.money(quote.receive))</strong>"),
            (strings["send.account"], HTML(text: review.account.map { accountLabel($0, strings) } ?? "–")),
            // The bank's approval page and statement name the partner, not the recipient: said here, before they leave.
            (strings["send.review.atbank"], HTML(text: strings.format("send.review.atbank.value", [
                "payee": review.bankPayee, "message": RemittanceBankText.lead(recipientName: review.recipient.name) ?? "Drop"]))),
        ] + (review.input.message.isEmpty ? [] : [(strings["send.message"], HTML(text: review.input.message))])
        let expires = WebDates.time(quote.expiresAt)
        return viewer.page("send.review.title", """
        <h1>\(strings["send.review.title"])</h1>
        <section class="card" aria-labelledby="review-heading">
        <h2 id="review-heading" class="sr-only">\(strings["send.review.title"])</h2>
        \(review.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(Field.alert(review.error))
        \(DetailList.render(rows))
        <p class="muted" id="quote-expiry" data-expires="\(WebDates.machine(quote.expiresAt))" data-expired="\(strings["send.review.expired"])">\(strings.format("send.review.expires", ["time": expires]))</p>
        <form method="post" action="/send/confirm">
        \(Field.csrf(viewer.csrfToken))
        \(Field.hidden("quoteId", quote.id))
        \(Field.hidden("payeeVersion", review.recipient.payeeVersion))
        \(Field.hidden("idempotencyKey", review.idempotencyKey))
        \(Field.hidden("recipientId", review.input.recipientId))
        \(Field.hidden("bankAccountId", review.input.bankAccountId))
        \(Field.hidden("amount", review.input.amount))
        \(Field.hidden("message", review.input.message))
        <p>\(strings["send.review.bank"])</p>
        <button class="button primary" type="submit" aria-describedby="quote-expiry">\(strings["send.review.confirm"])</button>
        </form>
        <form method="post" action="/send/quote" class="requote">
        \(Field.csrf(viewer.csrfToken))
        \(Field.hidden("recipientId", review.input.recipientId))
        \(Field.hidden("bankAccountId", review.input.bankAccountId))
        \(Field.hidden("amount", review.input.amount))
        \(Field.hidden("message", review.input.message))
        <button class="button" type="submit" id="requote">\(strings["send.review.requote"])</button>
        </form>
        <p><a href="/send?\(review.input.query)">\(strings["send.review.change"])</a></p>
        </section>
        <script src="/assets/countdown.js" defer></script>
        """)
    }
}
