import DropCore
import DropStore
import Foundation
import Testing
@testable import DropAPI

@Suite("Web: a standing transfer set up, approved once at the bank, paused and stopped")
struct WebStandingOrdersTests {
    @Test func kariSetsUpAMonthlyTransferApprovesAtHerBankPausesAndStopsIt() async throws {
        // Her bank is another site than Drop, as in production: each form that goes there answers with the page that does.
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), partiesElsewhere: true) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let empty = try await server.get("/standing?recipientId=\(kari.recipientId)", headers: [browser])
            #expect(empty.status == 200 && empty.body.contains("<h1>Faste overføringer</h1>") && empty.body.contains("Du har ingen faste overføringer ennå."))
            #expect(empty.body.contains(#"<option value="\#(kari.recipientId)" selected>"#))
            #expect(try await server.get("/recipients", headers: [browser]).body.contains(#"href="/standing?recipientId=\#(kari.recipientId)""#))
            let csrf = try #require(HTMLForm(html: empty.body)?.fields.first { $0.0 == "csrf" }?.1)
            let today = OsloCalendar.today(server.clock.date).iso
            func fields(amount: String = "1 500", start: String = today, end: String = "") -> [(String, String)] {
                [("csrf", csrf), ("key", "web-key-1"), ("recipientId", kari.recipientId), ("amount", amount), ("frequency", "monthly"),
                 ("startDate", start), ("endDate", end), ("bankAccountId", kari.accountId)]
            }

            // Refused fields come back on the form, in Norwegian, with what was typed.
            let noAmount = try await server.postForm("/standing", fields(amount: ""), headers: [browser, origin])
            #expect(noAmount.status == 422 && noAmount.body.contains(#"id="amount-error""#))
            let past = try await server.postForm("/standing", fields(start: "2026-10-01"), headers: [browser, origin])
            #expect(past.status == 422 && past.body.contains("Første betalingsdag må være i dag eller innen ett år."), "\(past.body)")
            let backwards = try await server.postForm("/standing", fields(end: "2026-10-13"), headers: [browser, origin])
            #expect(backwards.status == 422 && backwards.body.contains("Siste betalingsdag kan ikke være før den første."))

            // Sent to the bank, approved once, back on the list.
            let toBank = try await server.postForm("/standing", fields(), headers: [browser, origin])
            let scaURL = try #require(server.handOff(toBank), "\(toBank.status) \(toBank.location ?? "")")
            #expect(scaURL.hasPrefix("http://localhost:") && scaURL.contains("/sca/periodic-payments/"))
            let sca = try await server.get(scaURL)
            #expect(sca.body.contains("Approve a standing order") && sca.body.contains("1507,50 NOK") && sca.body.contains("Monthly, on day 14"))
            let back = try await server.approveAtBank(scaURL, as: TransfersTests.kari)
            let callback = try await server.get(try #require(back.location))
            let landing = try #require(callback.location)
            #expect(landing.hasPrefix("/standing?order="))
            let listed = try await server.get(landing, headers: [browser])
            #expect(listed.body.contains("Den faste overføringen er godkjent.") && listed.body.contains("Hver måned den 14.") && listed.body.contains("Aktiv"))
            // The same form sent again (a double tap) is the same order.
            let again = try await server.postForm("/standing", fields(), headers: [browser, origin])
            #expect(again.status == 200 || again.status == 303, "\(again.status)")
            let orders = try await server.services.database.withConnection { db in
                try await db.raw("SELECT id FROM standing_orders").all().map { try $0.decode(column: "id", as: String.self) }
            }
            let id = try #require(orders.first)
            #expect(orders.count == 1)

            // A new amount: refused on its own field (the card's form opens), then sent to the bank for approval.
            let badChange = try await server.postForm("/standing/change?id=\(id)", [("csrf", csrf), ("amount", "abc")], headers: [browser, origin])
            #expect(badChange.status == 422 && badChange.body.contains(#"<details class="change" open>"#)
                    && badChange.body.contains(#"id="amount-\#(id)-error""#), "\(badChange.status)")
            let change = try await server.postForm("/standing/change?id=\(id)", [("csrf", csrf), ("amount", "2 000")], headers: [browser, origin])
            #expect(server.handOff(change)?.contains("/sca/periodic-payments/") == true, "\(change.status) \(change.location ?? "")")
            #expect(try await server.get("/standing", headers: [browser]).body.contains("Venter på godkjenning i banken"))

            let paused = try await server.postForm("/standing/pause?id=\(id)", [("csrf", csrf)], headers: [browser, origin])
            #expect(paused.location == "/standing?done=paused")
            let pausedPage = try await server.get("/standing?done=paused", headers: [browser])
            #expect(pausedPage.body.contains("Satt på pause") && pausedPage.body.contains(#"action="/standing/resume?id=\#(id)""#))

            let confirm = try await server.get("/standing/stop?id=\(id)", headers: [browser])
            #expect(confirm.status == 200 && confirm.body.contains("Stoppe den faste overføringen til Zofia Wójcik?"))
            let form = try #require(HTMLForm(html: confirm.body))
            let stopped = try await server.postForm(form.action, form.fields, headers: [browser, origin])
            #expect(stopped.location == "/standing?done=stopped")
            #expect(try await server.get("/standing?done=stopped", headers: [browser]).body.contains("Den faste overføringen er stoppet."))
            // Someone else's id is a 404 page, never a 500.
            #expect(try await server.get("/standing/stop?id=\(UUID().uuidString)", headers: [browser]).status == 404)
        }
    }

    /// The resume button carries a fresh key each time the page is shown: a double tap of one button is
    /// one resumption, never an error page, and after Kari refuses it at her bank, resuming again asks
    /// for a new approval (not "rejected" until tomorrow).
    @Test func aDoubleTapIsOneResumptionAndResumingAfterARefusalAtTheBankAsksAnew() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await StandingOrdersTests.setUp(server, kari, extra: #","dayOfExecution":20"#)
            let id = created.standingOrder.id
            try await StandingOrdersTests.approve(server, created)
            #expect(try await server.request(.POST, "/v1/standing-orders/\(id)/pause", headers: [kari.auth]).status == 200)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            /// The resume button's form as the list shows it now.
            func resumeForm() async throws -> HTMLForm {
                let page = try await server.get("/standing", headers: [browser]).body
                let start = try #require(page.range(of: #"<form method="post" action="/standing/resume?id=\#(id)""#))
                let end = try #require(page.range(of: "</form>", range: start.upperBound..<page.endIndex))
                return try #require(HTMLForm(html: String(page[start.lowerBound..<end.upperBound])))
            }

            // Two taps of the button at once: one new order, both sent to its approval page.
            let form = try await resumeForm()
            async let one = server.postForm(form.action, form.fields, headers: [browser, origin])
            async let two = server.postForm(form.action, form.fields, headers: [browser, origin])
            let (a, b) = try await (one, two)
            #expect(a.status == 303 && b.status == 303 && a.location == b.location, "\(a.status) \(b.status)")
            let first = try #require(a.location)
            #expect(first.contains("/sca/periodic-payments/"))

            // Kari says no at her bank, then resumes again: a new approval page.
            let refused = try await server.approveAtBank(first, as: TransfersTests.kari, decision: "deny")
            _ = try await server.get(try #require(refused.location))
            let again = try await resumeForm()
            #expect(again.fields.first { $0.0 == "key" }?.1 != form.fields.first { $0.0 == "key" }?.1)
            let second = try await server.postForm(again.action, again.fields, headers: [browser, origin])
            #expect(second.status == 303 && second.location?.contains("/sca/periodic-payments/") == true && second.location != first,
                    "\(second.status) \(second.location ?? "")")
            let replacements = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status FROM standing_orders WHERE replaces_id = \(bind: id)").all()
                    .map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(replacements.sorted() == ["pending_sca", "rejected"], "\(replacements)")
        }
    }

    /// Back from the bank to the form (the browser keeps its key) and another amount sent: that key
    /// names the order already set up, so the server refuses it; the form comes back with a key of its
    /// own, and sending it once more sets up the new order instead of being refused again and again.
    @Test func aFormChangedAfterItsOrderWasSetUpGetsAKeyOfItsOwn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let page = try await server.get("/standing?recipientId=\(kari.recipientId)", headers: [browser])
            let csrf = try #require(HTMLForm(html: page.body)?.fields.first { $0.0 == "csrf" }?.1)
            let today = OsloCalendar.today(server.clock.date).iso
            func fields(key: String, amount: String) -> [(String, String)] {
                [("csrf", csrf), ("key", key), ("recipientId", kari.recipientId), ("amount", amount), ("frequency", "monthly"),
                 ("startDate", today), ("endDate", ""), ("bankAccountId", kari.accountId)]
            }
            let first = try await server.postForm("/standing", fields(key: "web-key-1", amount: "1 500"), headers: [browser, origin])
            #expect(first.status == 303, "\(first.status)")

            let changed = try await server.postForm("/standing", fields(key: "web-key-1", amount: "2 000"), headers: [browser, origin])
            #expect(changed.status == 422 && changed.body.contains("Skjemaet ble endret etter at det ble sendt."), "\(changed.status)")
            let key = try #require(WebSendMoneyTests.capture(#"action="/standing" novalidate>[\s\S]*?name="key" value="([^"]+)""#, in: changed.body))
            #expect(key != "web-key-1")
            let resent = try await server.postForm("/standing", fields(key: key, amount: "2 000"), headers: [browser, origin])
            #expect(resent.status == 303 && resent.location?.contains("/sca/periodic-payments/") == true, "\(resent.status) \(resent.location ?? "")")
            let amounts = try await server.services.database.withConnection { db in
                try await db.raw("SELECT amount_minor FROM standing_orders").all().map { try $0.decode(column: "amount_minor", as: Int64.self) }
            }
            #expect(amounts.sorted() == [150_000, 200_000], "\(amounts)")
        }
    }
}
