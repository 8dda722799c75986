import DropCore
import DropHTML
import DropKit
import Foundation
import Testing
@testable import DropAPI
import DropStore

@Suite("Web send money, recipients, transactions and notifications over HTTP")
struct WebSendMoneyTests {
    static let kari = "15039010043"
    static let nbsp = "\u{00A0}"

    /// The `<input …>` or `<select …>` tag with this id.
    static func tag(_ id: String, in html: String) -> String? {
        html.range(of: #"<(input|select) id="\#(id)"[^>]*>"#, options: .regularExpression).map { String(html[$0]) }
    }

    /// The first capture of `pattern` in `text`.
    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    /// The id of Kari's DNB account with NOK 42,350.00, as the API lists it for the web session.
    static func mainAccount(_ server: LiveServer, _ cookie: (String, String)) async throws -> String {
        let accounts = try await server.get("/v1/bank-accounts", headers: [cookie]).decode(DropKit.Page<BankAccount>.self).items
        return try #require(accounts.first { $0.balance?.amountMinor == 4_235_000 }).id
    }

    @Test func kariAddsARecipientSendsMoneyAndFollowsThePaymentInTheBrowser() async throws {
        // Her bank is another site than Drop, as in production.
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), partiesElsewhere: true) { server in
            // Onboarding and KYC through the API helpers; everything after that in the browser.
            _ = try await KYCTests.onboardAndVerify(server, Self.kari)
            let signedIn = try await server.signInWeb(Self.kari)
            let token = try #require(signedIn.cookie("drop_token"))
            let cookie = ("cookie", "drop_token=\(token)")
            let english = ("cookie", "drop_token=\(token); drop_lang=en")
            let origin = ("origin", server.baseURL)

            let toBank = try await server.postForm("/bank-accounts/connect", [("bank", "dnb")], headers: [cookie, origin])
            let linked = try await server.approveAtBank(try #require(server.handOff(toBank)), as: Self.kari)
            #expect(try await server.get(try #require(linked.location)).location == "/bank-accounts?connected=dnb")
            try await server.refreshExchangeRates()
            let accountId = try await Self.mainAccount(server, cookie)

            // Recipients: Poland's corridor asks for IBAN, BIC and an address.
            let picked = try await server.get("/recipients?corridor=PL-PLN", headers: [cookie])
            #expect(picked.status == 200 && picked.body.contains(#"<label for="iban">IBAN</label>"#))
            #expect(Self.tag("bic", in: picked.body) != nil && Self.tag("address-city", in: picked.body) != nil && Self.tag("ifsc", in: picked.body) == nil)
            let csrf = try #require(HTMLForm(html: picked.body)?.fields.first { $0.0 == "csrf" }?.1)
            var zofia = [("csrf", csrf), ("corridor", "PL-PLN"), ("name", "Zofia Wójcik"), ("iban", "PL61109010140000071219812875"),
                         ("bic", "WBKPPLPP"), ("bankName", "Santander Bank Polska"), ("address.street", "ul. Długa 5"),
                         ("address.postCode", "00-001"), ("address.city", "Warszawa"), ("relationship", "friend")]
            // A mistyped IBAN: the message sits under the field, which keeps what was typed.
            let bad = try await server.postForm("/recipients", zofia, headers: [cookie, origin])
            #expect(bad.status == 422)
            let ibanTag = try #require(Self.tag("iban", in: bad.body))
            #expect(ibanTag.contains(#"value="PL61109010140000071219812875""#) && ibanTag.contains(#"aria-invalid="true""#)
                && ibanTag.contains("iban-error"))
            #expect(bad.body.contains(#"<p class="field-error" id="iban-error">Kontrollsifrene stemmer ikke"#))
            #expect(Self.tag("name", in: bad.body)?.contains(#"value="Zofia Wójcik""#) == true)
            #expect(Self.tag("bic", in: bad.body)?.contains("aria-invalid") == false)

            zofia[3] = ("iban", "PL61109010140000071219812874")
            let added = try await server.postForm("/recipients", zofia, headers: [cookie, origin])
            #expect(added.status == 303 && added.location == "/recipients?added=1")
            let list = try await server.get("/recipients?added=1", headers: [cookie])
            #expect(list.body.contains("Mottakeren er lagt til.") && list.body.contains("Zofia Wójcik"))
            let recipientId = try #require(Self.capture(#"href="/send\?recipientId=([0-9a-f-]{36})""#, in: list.body))

            // Send 1 000 kr: the review shows the 0.5 % fee and what leaves the account, in Norwegian format.
            let form = try await server.get("/send?recipientId=\(recipientId)", headers: [cookie])
            #expect(form.status == 200 && form.body.contains(#"<option value="\#(recipientId)" selected>"#))
            #expect(form.body.contains(#"<label for="amount">"#))
            let fields = [("csrf", csrf), ("recipientId", recipientId), ("amount", "1 000"), ("bankAccountId", accountId), ("message", "Til mamma")]
            let review = try await server.postForm("/send/quote", fields, headers: [cookie, origin])
            #expect(review.status == 200)
            #expect(review.body.contains("<dd>1\(Self.nbsp)000,00\(Self.nbsp)kr</dd>") && review.body.contains("<dd>5,00\(Self.nbsp)kr</dd>"))
            #expect(review.body.contains("1\(Self.nbsp)005,00\(Self.nbsp)kr") && review.body.contains("PLN"))
            #expect(review.body.contains("Prisen gjelder til kl. 14:15."))  // 15 minutes, Oslo time
            // The countdown script enhances the server's own expiry time; no inline script.
            #expect(review.body.contains(#"data-expires="2026-10-14T12:15:00Z""#) && review.body.contains(#"<script src="/assets/countdown.js" defer></script>"#))
            let confirm = try #require(HTMLForm(html: review.body))
            #expect(confirm.action == "/send/confirm")
            #expect(confirm.fields.contains { $0.0 == "idempotencyKey" && UUID(uuidString: $0.1) != nil })
            #expect(confirm.fields.contains { $0.0 == "quoteId" })
            // Before she leaves: at her bank the payee is the payout partner, and the message names Zofia.
            #expect(review.body.contains("<dt>Hos banken din</dt>") && review.body.contains(
                "Mottakeren står som Drop Payout Partner AS, vår betalingspartner, som betaler pengene videre. Meldingen er «Drop til Zofia Wojcik» og transaksjonsnummeret."))

            // The same review in English.
            let reviewEN = try await server.postForm("/send/quote", fields, headers: [english, origin])
            #expect(reviewEN.body.contains("NOK 5.00") && reviewEN.body.contains("NOK 1,005.00") && reviewEN.body.contains("Review and confirm"))
            #expect(reviewEN.body.contains("The payee shows as Drop Payout Partner AS, our payment partner"))

            // A double submit (two at once, then a third later) makes one transfer and one bank payment.
            async let first = server.postForm("/send/confirm", confirm.fields, headers: [cookie, origin])
            async let second = server.postForm("/send/confirm", confirm.fields, headers: [cookie, origin])
            let (a, b) = try await (first, second)
            // Her bank is another origin: each answer is the page that goes there (a redirect would be refused by
            // the browser after a form, CSP `form-action 'self'`), in her language.
            let sca = try #require(server.handOff(a), "\(a.status) \(a.location ?? "")")
            #expect(server.handOff(b) == sca && a.location == nil)
            #expect(sca.hasPrefix("http://localhost:") && sca.contains("/sandbox/bank/dnb/"))
            // Drop's pages hold their forms to Drop; the bank's page, standing for another site, carries its own
            // policy, one only, whose form goes back to Drop (`SandboxPagePolicy`).
            #expect(a.headers[canonicalForm: "content-security-policy"].map(String.init) == [SecurityHeaders.pagePolicy])
            let bankPage = try await server.get(sca, headers: [])
            let bankPolicy = bankPage.headers[canonicalForm: "content-security-policy"]
            #expect(bankPage.status == 200 && bankPolicy.count == 1 && bankPolicy.first?.contains("form-action") == false, "\(bankPolicy)")
            #expect(a.body.contains("<h1>Videre til banken din</h1>"))
            let inEnglish = try await server.postForm("/send/confirm", confirm.fields, headers: [english, origin])
            #expect(server.handOff(inEnglish) == sca && inEnglish.body.contains("<h1>Continue to your bank</h1>"))
            #expect(try await TransfersTests.transactionCount(server) == 1)
            // The bank was asked to pay the partner with the message the review page announced, ending in the whole id.
            let atBank = try server.bankSandboxPayments()
            let endToEndId = try #require(atBank.first?.endToEndId)
            #expect(atBank.count == 1 && atBank.first?.text == "Drop til Zofia Wojcik \(endToEndId)")
            let approvalPage = try await server.get(sca).body
            #expect(approvalPage.contains("Drop Payout Partner AS") && approvalPage.contains("Drop til Zofia Wojcik \(endToEndId)"))

            // Kari approves at her bank; the bank's return lands on the transaction page.
            let back = try await server.approveAtBank(sca, as: Self.kari)
            let callback = try await server.get(try #require(back.location))
            let path = try #require(callback.location)
            let id = try #require(Self.capture(#"^/transactions/([0-9a-f-]{36})$"#, in: path))
            let page = try await server.get(path, headers: [cookie])
            #expect(page.status == 200 && page.body.contains("Betaling til Zofia Wójcik"))
            #expect(page.body.contains("Banken din har godkjent betalingen."))
            let timeline = try #require(Self.capture(#"(?s)<ol class="timeline">(.*?)</ol>"#, in: page.body))
            #expect(timeline.contains("Venter på godkjenning") && timeline.contains("Under behandling"))
            #expect(timeline.range(of: "Venter på godkjenning")!.lowerBound < timeline.range(of: "Under behandling")!.lowerBound)
            #expect(page.body.contains(#"href="/v1/transactions/\#(id)/receipt""#) && !page.body.contains("/cancel"))
            #expect(page.body.contains("1\(Self.nbsp)005,00\(Self.nbsp)kr"))

            // English, chosen with the switch on this very page.
            let switched = try await server.get("/language/en", headers: [cookie, ("referer", server.baseURL + path)])
            #expect(switched.status == 303 && switched.location == path && switched.cookie("drop_lang") == "en")
            let pageEN = try await server.get(path, headers: [english])
            #expect(pageEN.body.contains(#"<html lang="en">"#) && pageEN.body.contains("Payment to Zofia Wójcik")
                && pageEN.body.contains("Your bank has approved the payment.") && pageEN.body.contains("Processing"))
            #expect(try await server.get("/send", headers: [english]).body.contains("Amount in Norwegian kroner (NOK)"))
            #expect(try await server.get("/recipients", headers: [english]).body.contains("Your recipients"))

            // History with a status filter, and the dashboard's shortcuts and latest payments.
            #expect(try await server.get("/transactions?status=processing", headers: [cookie]).body.contains("/transactions/\(id)"))
            #expect(!(try await server.get("/transactions?status=completed", headers: [cookie]).body.contains("/transactions/\(id)")))
            let dashboard = try await server.get("/dashboard", headers: [cookie])
            #expect(dashboard.body.contains(#"href="/send""#) && dashboard.body.contains(#"href="/recipients""#)
                && dashboard.body.contains("/transactions/\(id)"))

            // Notifications: the payment's, the count in the header, then all read.
            let notifications = try await server.get("/notifications", headers: [cookie])
            #expect(notifications.body.contains("Betalingen er godkjent") && notifications.body.contains(#"href="/transactions/\#(id)""#))
            let count = try #require(Self.capture(#"id="unread-count">(\d+)<"#, in: notifications.body).flatMap(Int.init))
            #expect(count >= 1)
            #expect(try await server.get("/notifications", headers: [english]).body.contains("Payment approved"))
            let readAll = try await server.postForm("/notifications/read-all", [("csrf", csrf)], headers: [cookie, origin])
            #expect(readAll.status == 303 && readAll.location == "/notifications")
            let after = try await server.get("/notifications", headers: [cookie])
            #expect(!after.body.contains("unread-count") && after.body.contains("Uleste: 0"))
            #expect(try await server.postForm("/notifications/read-all", [("csrf", csrf)], headers: [cookie, ("origin", "https://evil.example")]).status == 403)
        }
    }

    @Test func refusedPaymentsKeepWhatWasTypedAndAPendingOneCanBeCancelled() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let sender = try await TransfersTests.sender(server)
            let cookie = try await server.webSession(Self.kari)
            let origin = ("origin", server.baseURL)
            let accountId = try await Self.mainAccount(server, cookie)
            func fields(_ amount: String) -> [(String, String)] {
                [("recipientId", sender.recipientId), ("amount", amount), ("bankAccountId", accountId), ("message", "Husleie")]
            }

            // Below the corridor's minimum: the message is next to the amount.
            let low = try await server.postForm("/send/quote", fields("50"), headers: [cookie, origin])
            #expect(low.status == 422)
            #expect(Self.tag("amount", in: low.body).map { $0.contains(#"value="50""#) && $0.contains(#"aria-invalid="true""#) } == true)
            #expect(low.body.contains(#"<p class="field-error" id="amount-error">Beløpet er for lavt."#))
            #expect(Self.tag("message", in: low.body)?.contains(#"value="Husleie""#) == true)
            // Not a number.
            let typo = try await server.postForm("/send/quote", fields("12x"), headers: [cookie, origin])
            #expect(typo.status == 422 && typo.body.contains(#"id="amount-error""#))

            // The price expires after 15 minutes: confirming then shows a new price to review, input kept
            // (WebSendLimitsTests.anExpiredPriceIsOneTapFromANewOne follows it to the bank).
            let review = try await server.postForm("/send/quote", fields("250"), headers: [cookie, origin])
            let confirm = try #require(HTMLForm(html: review.body))
            server.clock.advance(16 * 60)
            let expired = try await server.postForm("/send/confirm", confirm.fields, headers: [cookie, origin])
            #expect(expired.status == 200 && expired.body.contains("Prisen var utløpt, så her er en ny pris."))
            #expect(expired.body.contains(#"<input type="hidden" name="amount" value="250">"#))
            #expect(try await TransfersTests.transactionCount(server) == 0)

            // The bank is down: whether it has the payment is unknown, so the review comes back with
            // the same key and says so; pressing again once the bank answers makes no second transfer.
            let priced = try #require(HTMLForm(html: try await server.postForm("/send/quote", fields("250"), headers: [cookie, origin]).body))
            server.sandboxes.faults.bank.fault = .unavailable
            let down = try await server.postForm("/send/confirm", priced.fields, headers: [cookie, origin])
            #expect(down.status == 503 && down.body.contains("Banken din svarer ikke akkurat nå"))
            let retry = try #require(HTMLForm(html: down.body))
            #expect(retry.action == "/send/confirm")
            #expect(retry.fields.first { $0.0 == "idempotencyKey" }?.1 == priced.fields.first { $0.0 == "idempotencyKey" }?.1)
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down
            let resumed = try await server.postForm("/send/confirm", retry.fields, headers: [cookie, origin])
            #expect(resumed.status == 303)
            #expect(try await TransfersTests.transactionCount(server) == 1)
            let first = try #require(try await server.get("/v1/transactions", headers: [cookie]).decode(DropKit.Page<DropKit.Transaction>.self).items.first).id
            #expect(try await server.postForm("/transactions/\(first)/cancel", [], headers: [cookie, origin]).location == "/transactions/\(first)?cancelled=1")

            // A fresh price, confirmed; before approving at the bank Kari cancels on the transaction page.
            let again = try #require(HTMLForm(html: try await server.postForm("/send/quote", fields("250"), headers: [cookie, origin]).body))
            let toBank = try await server.postForm("/send/confirm", again.fields, headers: [cookie, origin])
            #expect(toBank.status == 303)
            let items = try await server.get("/v1/transactions", headers: [cookie]).decode(DropKit.Page<DropKit.Transaction>.self).items
            let id = try #require(items.first).id
            let pending = try await server.get("/transactions/\(id)", headers: [cookie])
            #expect(pending.body.contains("Venter på godkjenning") && pending.body.contains(#"action="/transactions/\#(id)/cancel""#))
            #expect(pending.body.contains(#"href="\#(HTML.escape(toBank.location ?? "-"))""#))
            let cancelled = try await server.postForm("/transactions/\(id)/cancel", [], headers: [cookie, origin])
            #expect(cancelled.location == "/transactions/\(id)?cancelled=1")
            let after = try await server.get("/transactions/\(id)?cancelled=1", headers: [cookie])
            #expect(after.body.contains("Betalingen er avbrutt.") && after.body.contains("Avbrutt") && !after.body.contains("/cancel\""))
            // A moving payment is followed live by a small script; a finished one is not.
            #expect(pending.body.contains(#"data-live-status="/v1/transactions/\#(id)" data-status="pending_sca""#) && pending.body.contains("/assets/live-status.js"))
            #expect(!after.body.contains("data-live-status") && !after.body.contains("live-status.js"))

            // Someone else's transaction is not there; someone not yet verified can't send.
            let ola = try await server.webSession("01078510133")
            #expect(try await server.get("/transactions/\(id)", headers: [ola]).status == 404)
            let unverified = try await server.postForm("/send/quote", fields("250"), headers: [ola, origin])
            #expect(unverified.status == 403 && unverified.body.contains(#"id="form-error""#)
                && unverified.body.contains("Du må bekrefte hvem du er"))
            #expect(Self.tag("amount", in: unverified.body)?.contains(#"value="250""#) == true)
        }
    }

    /// What Kari reviewed is what is paid: the review shows the account, and a recipient changed after
    /// the review (another tab, or someone with her phone) is not paid: a fresh review says why.
    @Test func aRecipientChangedAfterTheReviewIsNotPaidAndTheReviewIsShownAgain() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let cookie = try await server.webSession(Self.kari)
            let origin = ("origin", server.baseURL)
            let csrf = try #require(HTMLForm(html: try await server.get("/send", headers: [cookie]).body)?.fields.first { $0.0 == "csrf" }?.1)
            let fields = [("csrf", csrf), ("recipientId", kari.recipientId), ("amount", "1 000"), ("bankAccountId", kari.accountId)]
            let review = try await server.postForm("/send/quote", fields, headers: [cookie, origin])
            #expect(review.status == 200)
            #expect(review.body.contains("<dt>Mottakerens konto</dt>") && review.body.contains("PL61 1090 1014 0000 0712 1981 2874"))
            let reviewed = try #require(HTMLForm(html: review.body))
            #expect(reviewed.fields.contains { $0.0 == "payeeVersion" && $0.1.count == 64 })

            // Meanwhile the recipient's account is changed (a fresh session may).
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"iban":"PL27114020040000300201355387","bic":"BREXPLPW"}"#, auth: kari.auth)
            #expect(edited.status == 200, "\(edited.body)")

            // Confirming the old review pays nothing; a fresh review shows the new account and says why.
            let refused = try await server.postForm("/send/confirm", reviewed.fields, headers: [cookie, origin])
            #expect(refused.status == 409, "\(refused.body)")
            #expect(refused.body.contains("Mottakerens kontoopplysninger ble endret etter at du så dem."))
            #expect(refused.body.contains("PL27 1140 2004 0000 3002 0135 5387") && !refused.body.contains("PL61 1090"))
            #expect(try await TransfersTests.transactionCount(server) == 0)
            #expect(try server.bankSandboxPayments().isEmpty)
            // A confirmation without the field is refused the same way.
            let again = try #require(HTMLForm(html: refused.body))
            #expect(again.fields.first { $0.0 == "idempotencyKey" }?.1 != reviewed.fields.first { $0.0 == "idempotencyKey" }?.1)
            let unpinned = try await server.postForm("/send/confirm", again.fields.filter { $0.0 != "payeeVersion" }, headers: [cookie, origin])
            #expect(unpinned.status == 409 && unpinned.body.contains("Mottakerens kontoopplysninger ble endret"))
            #expect(try await TransfersTests.transactionCount(server) == 0)

            // The fresh review, confirmed, pays the account it shows.
            let confirmed = try await server.postForm("/send/confirm", again.fields, headers: [cookie, origin])
            #expect(confirmed.status == 303 && confirmed.location?.contains("/sandbox/bank/") == true, "\(confirmed.body)")
            let payees = try await server.services.database.withConnection { db in
                try await db.raw("SELECT payee_iban FROM transactions").all().map { try $0.decode(column: "payee_iban", as: String?.self) }
            }
            #expect(payees == ["PL27114020040000300201355387"])
        }
    }

    /// A second submit of the confirmation (a double click, a refresh) while the first still waits for a
    /// slow bank: the browser shows the second one's answer, so it is the review again with the same key,
    /// and pressing once more gets the first transfer, never the send form that would price a second one.
    @Test func aConfirmationStillRunningShowsTheSameReviewWithTheSameKey() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let sender = try await TransfersTests.sender(server)
            let cookie = try await server.webSession(Self.kari)
            let origin = ("origin", server.baseURL)
            let accountId = try await Self.mainAccount(server, cookie)
            let quoted = try await server.postForm("/send/quote", [("recipientId", sender.recipientId), ("amount", "250"), ("bankAccountId", accountId),
                                                                   ("message", "Husleie")], headers: [cookie, origin])
            let review = try #require(HTMLForm(html: quoted.body))
            func field(_ name: String) -> String { review.fields.first { $0.0 == name }?.1 ?? "" }
            let key = field("idempotencyKey")

            // The first submit holds the key: its bank has not answered yet.
            let userId = try await server.get("/v1/me", headers: [sender.auth]).decode(DropKit.User.self).id
            let input = RemittanceService.Input(recipientId: sender.recipientId, quoteId: field("quoteId"), bankAccountId: accountId,
                                                message: "Husleie", client: .web, payeeVersion: field("payeeVersion"))
            let store = IdempotencyStore(database: server.services.database)
            #expect(try await store.begin(scope: "remittance:\(userId)", key: key, requestHash: Hex.sha256(of: input.fingerprint),
                                          owner: "first-submit", now: server.clock.date) == .started)
            let second = try await server.postForm("/send/confirm", review.fields, headers: [cookie, origin])
            #expect(second.status == 409 && second.body.contains("Banken din svarer ikke akkurat nå"), "\(second.status)")
            let again = try #require(HTMLForm(html: second.body))
            #expect(again.action == "/send/confirm" && again.fields.first { $0.0 == "idempotencyKey" }?.1 == key)
            #expect(try await TransfersTests.transactionCount(server) == 0)

            // The first one ends without an answer (its process stopped): pressing again makes the one transfer.
            try await store.release(scope: "remittance:\(userId)", key: key, owner: "first-submit")
            let sent = try await server.postForm("/send/confirm", again.fields, headers: [cookie, origin])
            #expect(sent.status == 303)
            #expect(try await TransfersTests.transactionCount(server) == 1)
        }
    }
}
