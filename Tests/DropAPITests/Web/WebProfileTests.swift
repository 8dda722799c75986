import DropKit
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Web profile: details, limits, consents, data requests, complaints and account deletion")
struct WebProfileTests {
    static let kari = TransfersTests.kari

    struct Browser {
        let server: LiveServer
        let cookie: (String, String)
        let origin: (String, String)

        func csrf(_ path: String) async throws -> String {
            let page = try await server.get(path, headers: [cookie])
            return try #require(HTMLForm(html: page.body)?.fields.first { $0.0 == "csrf" }?.1)
        }

        func post(_ path: String, _ fields: [(String, String)], from page: String = "/profile") async throws -> LiveServer.Reply {
            try await server.postForm(path, [("csrf", try await csrf(page))] + fields, headers: [cookie, origin])
        }
    }

    static func signIn(_ server: LiveServer) async throws -> Browser {
        let signedIn = try await server.signInWeb(Self.kari)
        let token = try #require(signedIn.cookie("drop_token"))
        return Browser(server: server, cookie: ("cookie", "drop_token=\(token)"), origin: ("origin", server.baseURL))
    }

    /// The address is unconfirmed until its link is opened; the page says so and can send the link again;
    /// the link's page works without signing in; email can be turned off with the form's checkbox.
    /// Past the day's confirmation emails the form says why it was refused (too many tries), not that
    /// something broke, and the address is not changed.
    @Test func theFormSaysWhenTheDaysConfirmationEmailsAreSpent() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            for index in 1...5 {
                #expect(try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari\(index)@example.no")],
                                               from: "/profile/details").location == "/profile/details?saved=details")
            }
            let refused = try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari6@example.no")], from: "/profile/details")
            #expect(refused.status == 429 && refused.body.contains("For mange forsøk") && !refused.body.contains("Noe gikk galt"))
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self).email == "kari5@example.no")
        }
    }

    @Test func kariConfirmsHerEmailAddressAndChoosesWhetherToGetEmail() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            let details = try await server.get("/profile/details", headers: [browser.cookie])
            #expect(details.body.contains(#"id="notifyEmail" name="notifyEmail" checked"#) && !details.body.contains("ikke bekreftet"))
            #expect(try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.no"), ("notifyEmail", "on")],
                                           from: "/profile/details").location == "/profile/details?saved=details")
            let unconfirmed = try await server.get("/profile/details", headers: [browser.cookie])
            #expect(unconfirmed.body.contains("kari@example.no er ikke bekreftet ennå") && unconfirmed.body.contains(#"action="/profile/email/confirmation""#))
            #expect(try await browser.post("/profile/email/confirmation", [], from: "/profile/details").location == "/profile/details?saved=email-sent")
            #expect(try await server.get("/profile/details?saved=email-sent", headers: [browser.cookie]).body.contains("Vi har sendt en ny lenke."))

            // The link from the email, opened in another browser (no cookie): confirmed, in the browser's language.
            let me = try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self)
            let link = server.services.emailConfirmation.link(userId: me.id, address: "kari@example.no")
            let opened = try await server.get(link, headers: [("accept-language", "en")])
            #expect(opened.status == 200 && opened.body.contains("Email address confirmed") && opened.body.contains(#"href="/login?redirect=/profile/details""#))
            let broken = try await server.get("/email/confirm?token=abc", headers: [browser.cookie])
            #expect(broken.status == 400 && broken.body.contains("Vi kunne ikke bekrefte adressen") && broken.body.contains(#"href="/profile/details""#))
            let confirmed = try await server.get("/profile/details", headers: [browser.cookie])
            #expect(confirmed.body.contains("kari@example.no er bekreftet.") && !confirmed.body.contains(#"action="/profile/email/confirmation""#))

            // Saving without the box ticked turns email off; the API says the same.
            _ = try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.no")], from: "/profile/details")
            #expect(try await server.get("/v1/me/settings", headers: [browser.cookie]).decode(DropKit.Settings.self).notifyEmail == false)
            #expect(!(try await server.get("/profile/details", headers: [browser.cookie]).body.contains(#"name="notifyEmail" checked"#)))
            // A new address is unconfirmed again.
            _ = try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.com"), ("notifyEmail", "on")],
                                       from: "/profile/details")
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self).emailVerified == false)
        }
    }

    /// A browser left signed in: the email and phone can't be changed without BankID again. The form
    /// sends the person to BankID (step-up) and back to the form; saving what is already there is fine.
    @Test func anOldBrowserSessionIsSentToBankIDBeforeTheEmailChanges() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            #expect(try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.no")],
                                           from: "/profile/details").location == "/profile/details?saved=details")
            #expect(try await server.get("/profile/details", headers: [browser.cookie]).body.contains("logger du inn med BankID på nytt"))

            server.clock.advance(20 * 60)
            let changed = try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "thief@example.com")], from: "/profile/details")
            // To BankID through a page of Drop's: a form's redirect may not go on to BankID (CSP `form-action 'self'`).
            #expect(changed.status == 303 && changed.location == "/step-up?redirect=/profile/details")
            let stepUp = try await server.get("/step-up?redirect=/profile/details", headers: [browser.cookie])
            #expect(server.handOff(stepUp) == "/v1/auth/bankid/start?step_up=true&redirect=/profile/details" && stepUp.body.contains("<h1>Videre til BankID</h1>"))
            #expect(try await browser.post("/profile/details", [("phone", "987 65 432"), ("email", "kari@example.no")], from: "/profile/details")
                .location == "/step-up?redirect=/profile/details")
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self).email == "kari@example.no")
            #expect(try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.no")],
                                           from: "/profile/details").location == "/profile/details?saved=details")

            // BankID again, then the change is made.
            let (back, started) = try await server.approveAtBankID(startURL: try #require(server.handOff(stepUp)), nationalId: Self.kari)
            let signedIn = try await server.get(try #require(back.location), headers: started)
            let stepped = Browser(server: server, cookie: ("cookie", "drop_token=" + (try #require(signedIn.cookie("drop_token")))), origin: browser.origin)
            #expect(try await stepped.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.com")],
                                           from: "/profile/details").location == "/profile/details?saved=details")
            #expect(try await server.get("/v1/me", headers: [stepped.cookie]).decode(DropKit.User.self).email == "kari@example.com")
        }
    }

    @Test func kariKeepsHerProfileUpToDate() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            let page = try await server.get("/profile", headers: [browser.cookie])
            #expect(page.status == 200 && page.body.contains("Kari Nordmann") && page.body.contains("15. mars 1990"))
            #expect(page.body.contains(#"<a href="/profile">Profil</a>"#) && page.body.contains(#"action="/profile/data/export""#))
            // One page per form: the overview links to each, saying what it holds now.
            for section in ["details", "language", "limits", "consents", "data", "erase"] {
                #expect(page.body.contains(#"<a href="/profile/\#(section)">"#), "\(section)")
                let sub = try await server.get("/profile/\(section)", headers: [browser.cookie])
                #expect(sub.status == 200 && sub.body.contains(#"<a href="/profile">Tilbake til profilen</a>"#), "\(section)")
            }
            #expect(page.body.contains(#"<span class="hint">Norsk</span>"#) && !page.body.contains(#"action="/profile/limits""#))
            #expect(try await server.get("/profile/nothing-here", headers: [browser.cookie]).status == 404)
            let saved = try await server.get("/profile/details?saved=details", headers: [browser.cookie])
            #expect(saved.body.contains("Kontaktinformasjonen er lagret.") && saved.body.contains("<title>Mobilnummer og e-post"))
            #expect(!(try await server.get("/profile/details?saved=<b>", headers: [browser.cookie]).body.contains("profile.saved")))

            // A bad phone number stays in the field with its message; the email typed is kept too.
            let bad = try await browser.post("/profile/details", [("phone", "12"), ("email", "kari@example.no")])
            #expect(bad.status == 422)
            let phone = try #require(WebSendMoneyTests.tag("phone", in: bad.body))
            #expect(phone.contains(#"value="12""#) && phone.contains(#"aria-invalid="true""#))
            #expect(WebSendMoneyTests.tag("email", in: bad.body)?.contains(#"value="kari@example.no""#) == true)
            #expect(try await browser.post("/profile/details", [("phone", "912 34 567"), ("email", "kari@example.no")]).location == "/profile/details?saved=details")
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self).email == "kari@example.no")

            // Limits: typed as people type amounts; above the product maximum is refused at the field.
            #expect(try await browser.post("/profile/limits", [("daily", "10 000"), ("monthly", "")]).location == "/profile/limits?saved=limits")
            let limits = try await server.get("/v1/spending-limits", headers: [browser.cookie]).decode(DropKit.SpendingLimits.self)
            #expect(limits.daily.amountMinor == 1_000_000)
            let tooHigh = try await browser.post("/profile/limits", [("daily", "9999999"), ("monthly", "")])
            #expect(tooHigh.status == 422 && WebSendMoneyTests.tag("daily", in: tooHigh.body)?.contains(#"aria-invalid="true""#) == true)
            #expect(try await browser.post("/profile/limits", [("daily", "ti tusen"), ("monthly", "")]).status == 422)
            // Later, a browser left signed in lowers it at once, but is sent to BankID before it raises it.
            server.clock.advance(20 * 60)
            #expect(try await browser.post("/profile/limits", [("daily", "5 000"), ("monthly", "")]).location == "/profile/limits?saved=limits")
            let raise = try await browser.post("/profile/limits", [("daily", "20 000"), ("monthly", "")])
            #expect(raise.status == 303 && raise.location == "/step-up?redirect=/profile/limits")
            #expect(try await server.get("/v1/spending-limits", headers: [browser.cookie]).decode(DropKit.SpendingLimits.self).daily.amountMinor == 500_000)

            // Marketing consent on and off; the language choice is stored and remembered.
            #expect(try await browser.post("/profile/consents/marketing", [("granted", "true")]).location == "/profile/consents?saved=consents")
            let consents = try await server.get("/v1/consents", headers: [browser.cookie]).decode(DropKit.Page<Consent>.self).items
            #expect(consents.first { $0.type == .marketing }?.granted == true)
            let english = try await browser.post("/profile/language", [("locale", "en")])
            #expect(english.headers.first(name: "set-cookie")?.hasPrefix("drop_lang=en") == true)
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self).locale == .en)
            // Arabic is kept too, and its pages are right to left; the language menu is where she chose it.
            let arabic = try await browser.post("/profile/language", [("locale", "ar")])
            #expect(arabic.headers.first(name: "set-cookie")?.hasPrefix("drop_lang=ar") == true)
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).decode(DropKit.User.self).locale == .ar)
            let mirrored = try await server.get("/profile/language", headers: [("cookie", "\(browser.cookie.1); drop_lang=ar")])
            #expect(mirrored.body.contains(#"<html lang="ar" dir="rtl">"#))
            #expect(["nb", "en", "pl", "ar", "so", "ur"].allSatisfy { mirrored.body.contains(#"<option value="\#($0)""#) })
            #expect(try await browser.post("/profile/language", [("locale", "nb")]).location == "/profile/language?saved=language")

            // A data request is due in 30 days and shows on the page.
            let vague = try await browser.post("/profile/data-requests", [("kind", "rectification"), ("details", "")])
            #expect(vague.status == 422 && vague.body.contains(#"id="details-error""#))
            #expect(try await browser.post("/profile/data-requests", [("kind", "access"), ("details", "")]).location == "/profile/data?saved=request")
            #expect(try await server.get("/profile/data?saved=request", headers: [browser.cookie]).body.contains("svar innen 13. november 2026"))
        }
    }

    @Test func kariFilesAComplaintInTheBrowser() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            let empty = try await browser.post("/complaints", [("subject", ""), ("description", "Too short"), ("transactionId", "")], from: "/complaints")
            #expect(empty.status == 422 && empty.body.contains(#"id="subject-error""#) && empty.body.contains(#"id="description-error""#))
            #expect(empty.body.contains("Too short"))
            let filed = try await browser.post("/complaints", [("subject", "Gebyret"), ("description", "Gebyret var høyere enn vist."), ("transactionId", "")],
                                               from: "/complaints")
            #expect(filed.location == "/complaints?filed=1")
            let list = try await server.get("/complaints?filed=1", headers: [browser.cookie])
            #expect(list.body.contains("Gebyret var høyere enn vist.") && list.body.contains("svar innen 4. november 2026"))
        }
    }

    /// A NUL (`%00` in the form) is refused on its field, not by PostgreSQL as a 500; line breaks in the
    /// description are what a textarea sends.
    @Test func aComplaintWithANulIsRefusedOnItsField() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            let description = try await browser.post("/complaints", [("subject", "Gebyret"), ("description", "Gebyret var\u{0} høyere enn vist."), ("transactionId", "")],
                                                      from: "/complaints")
            #expect(description.status == 422 && description.body.contains(#"id="description-error""#))
            let transaction = try await browser.post("/complaints", [("subject", "Gebyret"), ("description", "Gebyret var høyere enn vist."), ("transactionId", "\u{0}")],
                                                      from: "/complaints")
            #expect(transaction.status == 422 && transaction.body.contains(#"id="transactionId-error""#))
            let complaints = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM complaints").first()!.decode(column: "n", as: Int.self)
            }
            #expect(complaints == 0)
            let filed = try await browser.post("/complaints", [("subject", "Gebyret"), ("description", "Gebyret var høyere\r\nenn vist."), ("transactionId", "")],
                                               from: "/complaints")
            #expect(filed.location == "/complaints?filed=1")
        }
    }

    @Test func signingOutEverywhereEndsTheAppSessionToo() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let app = try await server.bearer(Self.kari)
            let browser = try await Self.signIn(server)
            let out = try await browser.post("/profile/logout-everywhere", [])
            #expect(out.location == "/login" && out.headers.first(name: "set-cookie")?.contains("drop_token=;") == true)
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).status == 401)
            #expect(try await server.get("/v1/me", headers: [app]).status == 401)
        }
    }

    /// A browser left signed in can't delete the account or download all its data: the erase form and the
    /// download send the person to BankID (step-up) and back; after it, both work.
    @Test func anOldBrowserSessionIsSentToBankIDBeforeTheAccountIsDeletedOrItsDataDownloaded() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            server.clock.advance(20 * 60)
            let refused = try await browser.post("/profile/erase", [("confirm", "yes")], from: "/profile/erase")
            #expect(refused.status == 303 && refused.location == "/step-up?redirect=/profile/erase", "\(refused.status) \(refused.location ?? "")")
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).status == 200)
            // The download's button: BankID again, then back to the data page to press it once more.
            let download = try await browser.post("/profile/data/export", [], from: "/profile/data")
            #expect(download.status == 303 && download.location == "/step-up?redirect=/profile/data")
            #expect(try await server.get("/profile/data", headers: [browser.cookie]).body.contains(#"action="/profile/data/export""#))

            // BankID again, back to the erase page: the download and the deletion go through.
            let stepUp = try await server.get("/step-up?redirect=/profile/erase", headers: [browser.cookie])
            #expect(server.handOff(stepUp) == "/v1/auth/bankid/start?step_up=true&redirect=/profile/erase")
            let (back, started) = try await server.approveAtBankID(startURL: try #require(server.handOff(stepUp)), nationalId: Self.kari)
            let signedIn = try await server.get(try #require(back.location), headers: started)
            let stepped = Browser(server: server, cookie: ("cookie", "drop_token=" + (try #require(signedIn.cookie("drop_token")))), origin: browser.origin)
            let exported = try await stepped.post("/profile/data/export", [], from: "/profile/data")
            #expect(exported.status == 200 && exported.headers.first(name: "content-disposition")?.contains("attachment") == true)
            #expect(exported.body.contains("Kari Nordmann"))
            let erased = try await stepped.post("/profile/erase", [("confirm", "yes")], from: "/profile/erase")
            #expect(erased.status == 200 && erased.body.contains("Kontoen din er slettet"))
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).status == 401)
        }
    }

    /// The download hands over everything and writes `gdpr.exported`, so a link or a page on another site (the
    /// cookie goes with a top-level GET) can't start it for a signed-in customer: the web's is a form's POST, and
    /// the API's asks a cookie for the same proof a write does. The page's button and Drop's own script still work.
    @Test func noLinkFromAnotherSiteDownloadsKarisData() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let browser = try await Self.signIn(server)
            let exported: SQLQueryString = "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'gdpr.exported'"
            let linked = try await server.get("/profile/data/export", headers: [browser.cookie])
            #expect(linked.status == 405 || linked.status == 404, "\(linked.status)")
            let api = try await server.get("/v1/gdpr/export", headers: [browser.cookie])
            #expect(api.status == 403 && api.apiError.code == "FORBIDDEN" && !api.body.contains("Kari Nordmann"))
            for path in ["//v1/gdpr/export", "/v1/gdpr/export/", "/v1/gdpr/%65xport"] {
                #expect(try await server.get(path, headers: [browser.cookie]).status != 200, "\(path)")
            }
            #expect(try await PrivacyTests.count(server, exported) == 0)

            let pressed = try await browser.post("/profile/data/export", [], from: "/profile/data")
            #expect(pressed.status == 200 && pressed.headers.first(name: "content-disposition")?.contains("attachment") == true)
            #expect(pressed.body.contains("Kari Nordmann"))
            let token = try await browser.csrf("/profile/data")
            #expect(try await server.get("/v1/gdpr/export", headers: [browser.cookie, ("x-csrf-token", token)]).status == 200)
            #expect(try await PrivacyTests.count(server, exported) == 2)
        }
    }

    @Test func kariDeletesHerAccountInTheBrowser() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            _ = try await KYCTests.onboardAndVerify(server, Self.kari)
            let browser = try await Self.signIn(server)
            let unconfirmed = try await browser.post("/profile/erase", [])
            #expect(unconfirmed.status == 422 && unconfirmed.body.contains(#"id="confirm-error""#))
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).status == 200)

            let erased = try await browser.post("/profile/erase", [("confirm", "yes")])
            #expect(erased.status == 200 && erased.body.contains("Kontoen din er slettet"))
            #expect(erased.headers.first(name: "set-cookie")?.contains("drop_token=;") == true)
            #expect(try await server.get("/v1/me", headers: [browser.cookie]).status == 401)
            #expect(try await server.get("/profile", headers: [browser.cookie]).location == "/login?redirect=/profile")
        }
    }
}
