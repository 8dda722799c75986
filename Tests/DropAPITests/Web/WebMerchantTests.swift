import DropCore
import DropKit
import Foundation
import SQLKit
import Testing
@testable import DropAPI
import DropSandboxHosting

@Suite("Web merchant page and pay page over HTTP")
struct WebMerchantTests {
    static let kari = "15039010043"

    static func unescape(_ text: String) -> String { HTMLForm.unescape(text) }

    @Test func monaRegistersInTheBrowserAndKariPaysHerQRCode() async throws {
        // Kari's bank is another site than Drop, as in production.
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), partiesElsewhere: true) { server in
            // Someone who hasn't confirmed who they are is asked to, and gets no form.
            let dina = try await server.webSession("52069210031")
            let unverified = try await server.get("/merchant", headers: [dina])
            #expect(unverified.body.contains("Du må bekrefte hvem du er før du kan registrere en bedrift.") && !unverified.body.contains(#"action="/merchant""#))

            let monaAPI = try await KYCTests.onboardAndVerify(server, LiveServer.mona).auth
            let mona = try await server.webSession(LiveServer.mona)
            let origin = ("origin", server.baseURL)
            // Verified, but no account of her own to settle to yet: she is sent to link one.
            let noAccount = try await server.get("/merchant", headers: [mona])
            #expect(noAccount.body.contains(#"<a href="/bank-accounts">"#) && !noAccount.body.contains(#"action="/merchant""#))
            _ = try await server.connectBank("dnb", auth: monaAPI, as: LiveServer.mona)
            let monasAccount = try #require(try await server.linkedAccounts(monaAPI).first).id

            // Not a merchant yet: the register form, reachable from her profile (the menu has "Bedrift" only for merchants),
            // offering her own accounts.
            #expect(try await server.get("/profile", headers: [mona]).body.contains(#"<a href="/merchant">"#))
            let empty = try await server.get("/merchant", headers: [mona])
            #expect(empty.status == 200 && empty.body.contains(#"<form method="post" action="/merchant""#) && !empty.body.contains(#"<li><a href="/merchant">"#))
            #expect(empty.body.contains(#"<option value="\#(monasAccount)" selected>"#))
            let csrf = try #require(HTMLForm(html: empty.body)?.fields.first { $0.0 == "csrf" }?.1)
            var fields = [("csrf", csrf), ("organisationNumber", "923 456 784"), ("name", "Monas Kaffebar"), ("mcc", "6011"), ("city", "Oslo"),
                          ("settlementBankAccountId", UUID().uuidString.lowercased())]
            let bad = try await server.postForm("/merchant", fields, headers: [mona, origin])
            #expect(bad.status == 422)
            #expect(bad.body.contains(#"id="organisationNumber-error">Kontrollsifrene stemmer ikke"#))
            #expect(bad.body.contains(#"id="mcc-error">Drop tar ikke betalt for denne typen virksomhet."#))
            #expect(WebSendMoneyTests.tag("name", in: bad.body)?.contains(#"value="Monas Kaffebar""#) == true)
            fields[1].1 = "923 456 783"
            fields[3].1 = "5814"
            // An account that isn't one of hers is refused at the account field.
            let notHers = try await server.postForm("/merchant", fields, headers: [mona, origin])
            #expect(notHers.status == 422 && notHers.body.contains(#"id="settlementBankAccountId-error">Velg en av dine egne tilkoblede kontoer."#))
            fields[5].1 = monasAccount
            let registered = try await server.postForm("/merchant", fields, headers: [mona, origin])
            #expect(registered.status == 303 && registered.location == "/merchant")
            // Sent again (a double click, an old tab): the business she has, not an error.
            let sentTwice = try await server.postForm("/merchant", fields, headers: [mona, origin])
            #expect(sentTwice.status == 303 && sentTwice.location == "/merchant")

            let page = try await server.get("/merchant", headers: [mona])
            #expect(page.status == 200 && page.body.contains("<h1>Monas Kaffebar</h1>"))
            let code = try #require(WebSendMoneyTests.capture(#"Kode <strong>([2-9A-Z]{8})</strong>"#, in: page.body))
            #expect(page.body.contains(#"<svg xmlns="http://www.w3.org/2000/svg""#) && page.body.contains(">\(server.baseURL)/pay/\(code)</a>"))
            #expect(page.body.contains(#"<script src="/assets/merchant.js" defer></script>"#) && !page.body.contains("<script>"))
            #expect(page.body.contains(#"data-last-event-id="0""#))
            // The board's day in Oslo: the live script counts only events of payments made on it, as the server does.
            #expect(page.body.contains(#"data-day-from="2026-10-13T22:00:00Z" data-day-to="2026-10-14T22:00:00Z""#))
            let script = try await server.get("/assets/merchant.js")
            #expect(script.status == 200 && script.body.contains("EventSource") && script.body.contains("payment.createdAt"))

            // A code for one purchase: NOK 249.00, "Bord 4".
            let dynamicPage = try await server.get("/merchant?amount=249&reference=Bord+4", headers: [mona])
            #expect(dynamicPage.status == 200)
            let link = Self.unescape(try #require(WebSendMoneyTests.capture(#"<a href="([^"]*amount=24900[^"]*)">"#, in: dynamicPage.body)))
            #expect(link.hasPrefix("\(server.baseURL)/pay/\(code)?amount=24900&ref=Bord%204&exp="))
            #expect(try await server.get("/merchant?amount=0,50", headers: [mona]).status == 422)
            let path = String(link.dropFirst(server.baseURL.count))

            // Anyone sees whom they would pay; signing in brings them back here.
            let anonymous = try await server.get(path)
            #expect(anonymous.status == 200 && anonymous.body.contains("Monas Kaffebar") && anonymous.body.contains("249,00"))
            #expect(anonymous.body.contains("Bord 4") && anonymous.body.contains("Eierens identitet er sjekket med BankID")
                    && anonymous.body.contains("Org.nr. 923 456 783") && !anonymous.body.contains("Bekreftet bedrift"))
            let signIn = Self.unescape(try #require(WebSendMoneyTests.capture(#"href="(/v1/auth/bankid/start[^"]*)""#, in: anonymous.body)))
            let (back, browser) = try await server.approveAtBankID(startURL: signIn, nationalId: Self.kari)
            let callback = try await server.get(try #require(back.location), headers: browser)
            #expect(callback.location == "/onboarding" || callback.location == path)
            // A changed amount is not Drop's link any more.
            let tampered = try await server.get(path.replacingOccurrences(of: "amount=24900", with: "amount=100"))
            #expect(tampered.status == 422 && tampered.body.contains("Denne betalingslenken er ikke gyldig."))

            // Kari, verified and with her bank linked, pays it.
            let kariAPI = try await KYCTests.onboardAndVerify(server, Self.kari).auth
            _ = try await server.connectBank("dnb", auth: kariAPI, as: Self.kari)
            let kari = try await server.webSession(Self.kari)
            let accountId = try await WebSendMoneyTests.mainAccount(server, kari)
            let payPage = try await server.get(path, headers: [kari])
            #expect(payPage.status == 200 && payPage.body.contains(#"<form method="post" action="/pay/\#(code)""#))
            let form = try #require(HTMLForm(html: payPage.body))
            #expect(form.fields.contains { $0.0 == "signature" } && form.fields.contains { $0.0 == "idempotencyKey" })
            let confirm = form.fields + [("bankAccountId", accountId)]
            // Her bank is another origin: the confirm answers with the page that goes there, not a redirect.
            let toBank = try await server.postForm("/pay/\(code)", confirm, headers: [kari, origin])
            let sca = try #require(server.handOff(toBank), "\(toBank.status) \(toBank.location ?? "")")
            #expect(sca.hasPrefix("http://localhost:") && sca.contains("/sandbox/bank"))
            // Submitting twice makes one payment.
            let twice = try await server.postForm("/pay/\(code)", confirm, headers: [kari, origin])
            #expect(server.handOff(twice) == sca)
            let approved = try await server.approveAtBank(sca, as: Self.kari)
            let returned = try await server.get(try #require(approved.location))
            let transactionPath = try #require(returned.location)
            #expect(transactionPath.hasPrefix("/transactions/"))
            let receiptPage = try await server.get(transactionPath, headers: [kari])
            #expect(receiptPage.body.contains("Betaling til Monas Kaffebar"))

            // Mona's page lists it, completed, in today's totals.
            try await server.eventually("the payment on Mona's page") {
                try await server.get("/merchant", headers: [mona]).body.contains(WebMarkup.pill("completed", icon: "check", "Fullført"))
            }
            let after = try await server.get("/merchant", headers: [mona])
            #expect(after.body.contains(#"<dd id="today-count">1</dd>"#) && after.body.contains(#"<dd id="today-total" data-minor="24900">"#))
            let transactionId = String(transactionPath.dropFirst("/transactions/".count))

            // Her "payment received" notification opens the payment on her own page (it 404ed on the payer's).
            let notifications = try await server.get("/notifications", headers: [mona])
            #expect(notifications.body.contains(#"href="/merchant/payments/\#(transactionId)""#))
            #expect(!notifications.body.contains(#"href="/transactions/\#(transactionId)""#))
            let payment = try await server.get("/merchant/payments/\(transactionId)", headers: [mona])
            #expect(payment.status == 200 && payment.body.contains("Betaling på 249,00") && payment.body.contains("Bord 4")
                && payment.body.contains(WebMarkup.pill("completed", icon: "check", "Fullført")))
            #expect(after.body.contains(#"href="/merchant/payments/\#(transactionId)""#))
            // Only the shop sees it there.
            #expect(try await server.get("/merchant/payments/\(transactionId)", headers: [kari]).status == 404)
            #expect(try await server.get("/merchant/payments/nonsense", headers: [mona]).status == 404)

            // Kari's side: the "Betalt ✓" moment, no fee row, one reference (the order's).
            let paidPage = try await server.get(transactionPath, headers: [kari])
            #expect(paidPage.body.contains(#"<p class="paid-moment">Betalt <span aria-hidden="true">✓</span></p>"#))
            #expect(!paidPage.body.contains("Gebyr") && paidPage.body.contains("Trukket fra kontoen din"))
            #expect(paidPage.body.components(separatedBy: "<dt>Referanse</dt>").count == 2 && paidPage.body.contains("<dd>Bord 4</dd>"))
            #expect(paidPage.body.contains(WebMarkup.step("done", icon: "check", "Betalt til butikken")))

            // Reloading the paid code's link shows it paid, with Kari's receipt, instead of the payment again.
            let reloaded = try await server.get(path, headers: [kari])
            #expect(reloaded.status == 200 && reloaded.body.contains("Denne koden er betalt."))
            #expect(reloaded.body.contains(#"href="/v1/transactions/\#(transactionId)/receipt""#) && !reloaded.body.contains(#"action="/pay/"#))
            // The old form sent again under a new key pays nothing.
            let fresh = confirm.map { $0.0 == "idempotencyKey" ? ($0.0, UUID().uuidString.lowercased()) : $0 }
            let again = try await server.postForm("/pay/\(code)", fresh, headers: [kari, origin])
            #expect(again.status == 409 && again.body.contains("Denne koden er betalt.") && again.location == nil)
            // Others see that it is paid, not whose receipt it is.
            let stranger = try await server.get(path)
            #expect(stranger.body.contains("Denne koden er betalt.") && !stranger.body.contains("/receipt"))

            // A static code: the payer types the amount; a bad amount stays on the page with its message.
            let staticPage = try await server.get("/pay/\(code)", headers: [kari])
            #expect(staticPage.status == 200 && WebSendMoneyTests.tag("amount", in: staticPage.body) != nil)
            let staticForm = try #require(HTMLForm(html: staticPage.body))
            let wrong = try await server.postForm("/pay/\(code)", staticForm.fields + [("bankAccountId", accountId), ("amount", "mye")], headers: [kari, origin])
            #expect(wrong.status == 422 && wrong.body.contains(#"id="amount-error""#) && wrong.body.contains(#"value="mye""#))
            let chosen = try await server.postForm("/pay/\(code)", staticForm.fields + [("bankAccountId", accountId), ("amount", "45,50")], headers: [kari, origin])
            #expect(server.handOff(chosen)?.contains("/sandbox/bank") == true)
            let amounts = try await server.services.database.withConnection { db in
                try await db.raw("SELECT amount_minor FROM transactions WHERE kind = 'qr_payment' ORDER BY created_at").all()
                    .map { try $0.decode(column: "amount_minor", as: Int64.self) }
            }
            #expect(amounts.sorted() == [4_550, 24_900])

            // Mona can't pay herself (and the code is paid anyway).
            let own = try await server.get(path, headers: [mona])
            #expect(own.status == 200 && !own.body.contains(#"action="/pay/"#))
        }
    }
}

extension WebMerchantTests {
    /// A one-purchase link whose reference is 35 Arabic letters is over 300 characters long (each letter is
    /// 6 percent-encoded): a payer who opens it signed out still comes back to it after BankID.
    @Test func aSignedOutPayerComesBackToALinkWithALongReference() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            _ = try await server.registeredMona()
            _ = try await KYCTests.onboardAndVerify(server, Self.kari)
            let mona = try await server.webSession(LiveServer.mona)
            let reference = String(repeating: "ع", count: PaymentReference.maximumLength)
            let page = try await server.get("/merchant?amount=249&reference=\(LiveServer.formEncode(reference))", headers: [mona])
            #expect(page.status == 200)
            let link = Self.unescape(try #require(WebSendMoneyTests.capture(#"<a href="([^"]*amount=24900[^"]*)">"#, in: page.body)))
            let path = String(link.dropFirst(server.baseURL.count))
            #expect(path.hasPrefix("/pay/") && path.count > 300 && path.count <= PaymentLink.longestPath)

            let anonymous = try await server.get(path)
            let signIn = Self.unescape(try #require(WebSendMoneyTests.capture(#"href="(/v1/auth/bankid/start[^"]*)""#, in: anonymous.body)))
            let (back, browser) = try await server.approveAtBankID(startURL: signIn, nationalId: Self.kari)
            let callback = try await server.get(try #require(back.location), headers: browser)
            #expect(callback.location == path, "\(callback.location ?? "")")
            // Signed in now, the page no longer asks her to sign in.
            let token = try #require(callback.cookie("drop_token"))
            let payPage = try await server.get(path, headers: [("cookie", "drop_token=\(token)")])
            #expect(payPage.status == 200 && payPage.body.contains("249,00") && !payPage.body.contains("/v1/auth/bankid/start"))
        }
    }
}

@Suite("Merchant demo data")
struct MerchantDemoDataTests {
    @Test func monaOwnsTheDemoCafeAndStillSignsInAsHerself() async throws {
        try await LiveServer.run { server in
            let seeded = try await DemoData.seed(server.services, features: apiFeatures + [SandboxFeature(server.sandboxes)])
            let line = try #require(seeded.first { $0.hasPrefix("merchant (Monas Kaffebar, code ") })
            #expect(try await DemoData.seed(server.services, features: apiFeatures + [SandboxFeature(server.sandboxes)]).isEmpty)
            let mona = try await server.webSession(LiveServer.mona)
            let me = try await server.get("/v1/auth/me", headers: [mona]).decode(DropKit.User.self)
            #expect(me.role == .merchant)
            let merchant = try await server.get("/v1/merchants/me", headers: [mona]).decode(DropKit.Merchant.self)
            let code = merchant.code
            #expect(line.contains(code) && merchant.verified == true)
            // Seeded with the identity check the sandbox gives her, so the café takes payments at once.
            #expect(try await server.get("/v1/me", headers: [mona]).decode(DropKit.User.self).kycStatus == .approved)
            #expect(try await server.get("/v1/merchants/\(code)").decode(DropKit.PublicMerchant.self).verified)
            #expect(try await server.get("/merchant", headers: [mona]).body.contains("<h1>Monas Kaffebar</h1>"))
            // The café settles to Mona's own DNB account, linked in the demo data; linking DNB brings that account back, active.
            let monaAPI = try await server.bearer(LiveServer.mona)
            let settlement = merchant.settlementAccount
            let seededAccount = try #require(try await server.linkedAccounts(monaAPI).first { $0.bban == settlement })
            #expect(seededAccount.status == .reconnect)
            _ = try await server.connectBank("dnb", auth: monaAPI, as: LiveServer.mona)
            let relinked = try await server.linkedAccounts(monaAPI).filter { $0.bban == settlement }
            #expect(relinked.count == 1 && relinked.first?.id == seededAccount.id && relinked.first?.status == .active)
            // Others still register their own business, to their own account.
            let kari = try await server.verifiedOwner("15039010043")
            let kiosk = #"{"organisationNumber":"931000004","name":"Karis Kiosk","mcc":"5411","city":"Bergen","settlementBankAccountId":"\#(kari.accountId)"}"#
            #expect(try await server.postJSON("/v1/merchants", kiosk, headers: [kari.auth]).status == 201)
        }
    }
}
