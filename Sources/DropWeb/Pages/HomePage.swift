import DropAPI
import DropCore
import DropHTML

/// `/` and `/price`: what Drop is, what a transfer costs before signing in, why it is safe, and
/// the way in.
enum HomePage {
    /// The price calculator's form and, once asked, its answer.
    struct Calculator {
        var corridor: String = "PL-PLN"
        var amount: String = ""
        var price: PriceView? = nil
        var errors: [String: String] = [:]
    }

    static func render(_ strings: Strings, calculator: Calculator = Calculator()) -> HTML {
        Layout.page(title: strings["app.tagline"], strings: strings, main: """
        <section class="hero">
        <h1>\(strings["app.tagline"])</h1>
        <p class="lead">\(strings["home.lead"])</p>
        <p class="actions"><a class="button primary" href="/login">\(strings["login.bankid"])</a></p>
        </section>
        \(self.calculator(strings, calculator))
        <section class="card trust" aria-labelledby="trust-heading">
        <h2 id="trust-heading">\(strings["home.trust.title"])</h2>
        <ul class="points">
        <li>\(strings["home.point.bank"])</li>
        <li>\(strings["home.point.bankid"])</li>
        <li>\(strings["home.trust.partner"])</li>
        <li>\(strings["home.trust.regulated"])</li>
        <li>\(strings["home.point.qr"])</li>
        </ul>
        <p><a href="https://www.finanstilsynet.no/konsesjonsregisteret/" rel="noopener">\(strings["home.trust.register"])</a></p>
        <p><a href="/terms">\(strings["legal.terms.title"])</a> · <a href="/privacy">\(strings["legal.privacy.title"])</a></p>
        <p><a href="/docs">\(strings["home.docs"])</a></p>
        </section>
        """, errors: calculator.errors)
    }

    static func calculator(_ strings: Strings, _ state: Calculator) -> HTML {
        let corridors = RecipientsPage.corridorOptions(strings)
        var answer: HTML = ""
        if let price = state.price {
            answer = """
            <div id="price" role="status">
            \(DetailList.render([
                (strings["send.review.amount"], "\(strings.money(price.send))"),
                (strings["send.review.fee"], "\(strings.money(price.fee))"),
                (strings["send.review.total"], "<strong>\(strings.money(price.total))</strong>"),
                RateText.row(price.rate, currency: price.receive.currency.code, strings),
                (strings["send.review.receive"], "<strong>\(strings.money(price.receive))</strong>"),
                (strings["home.calc.arrives"], HTML(text: TransactionPages.deliveryText(price.estimatedDelivery, strings))),
            ]))
            <p class="hint">\(strings.format("home.calc.note", ["date": WebDates.day(iso: price.rateAsOf, strings)]))</p>
            </div>
            """
        }
        return """
        <section class="card calculator" aria-labelledby="calc-heading">
        <h2 id="calc-heading">\(strings["home.calc.title"])</h2>
        <form method="get" action="/price#price" novalidate>
        \(Field.text(id: "amount", name: "amount", label: strings["home.calc.amount"], value: state.amount, error: state.errors["amount"],
                     attributes: #" inputmode="decimal" autocomplete="off""#))
        \(Field.select(id: "corridor", name: "corridor", label: strings["home.calc.corridor"], options: corridors,
                       selected: state.corridor, error: state.errors["corridor"]))
        <button class="button" type="submit">\(strings["home.calc.submit"])</button>
        </form>
        \(answer)
        </section>
        """
    }
}
