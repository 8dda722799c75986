import DropKit
import Foundation
import Testing
@testable import DropAPI

@Suite("Web: sharing a tracking link from the transfer's page, and the receiver's page")
struct WebTrackingTests {
    @Test func kariSharesFromHerTransferAndHansSeesItInHisLanguage() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let sent = try await TransfersTests.send(server, kari, key: "web-track", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#)
            let id = try sent.decode(TransactionCreated.self).transaction.id

            let page = try await server.get("/transactions/\(id)", headers: [browser])
            #expect(page.body.contains("Del med mottakeren") && page.body.contains(#"action="/transactions/\#(id)/tracking-link""#))
            #expect(!page.body.contains("Stopp deling"))
            let csrf = try #require(HTMLForm(html: page.body)?.fields.first { $0.0 == "csrf" }?.1)

            // Shared: the link is on the answer itself (never in a URL), not stored, not cached.
            let shared = try await server.postForm("/transactions/\(id)/tracking-link", [("csrf", csrf)], headers: [browser, origin])
            #expect(shared.status == 200 && shared.headers["cache-control"] == ["no-store"])
            let url = try #require(shared.body.range(of: #"value="\#(server.baseURL)/t/[A-Za-z0-9_-]{43}""#, options: .regularExpression)
                .map { String(shared.body[$0].dropFirst(7).dropLast()) })
            #expect(shared.body.contains("Stopp deling") && shared.body.contains("Lag ny lenke"))
            let token = try #require(url.components(separatedBy: "/t/").last)

            // Hans, no account, English browser: Kari's first name, what he gets, where it is.
            let hans = try await server.get("/t/\(token)", headers: [("accept-language", "en-GB,en")])
            #expect(hans.status == 200 && hans.headers["cache-control"] == ["no-store"])
            #expect(hans.body.contains("Kari is sending you money") && hans.body.contains("You receive"))
            #expect(hans.body.contains(WebMarkup.step("current", icon: "dot", "Approved at the sender&#39;s bank"))
                    || hans.body.contains(WebMarkup.step("current", icon: "dot", "Approved at the sender's bank")))
            #expect(!hans.body.contains("Nordmann") && !hans.body.contains(kari.accountId) && !hans.body.contains(id))
            // In Norwegian for a Norwegian browser.
            #expect(try await server.get("/t/\(token)").body.contains("Kari sender deg penger"))

            // Stopped: the page says so, and the link is a 404 that explains itself.
            let stopped = try await server.postForm("/transactions/\(id)/tracking-link/stop", [("csrf", csrf)], headers: [browser, origin])
            #expect(stopped.status == 303 || stopped.status == 302)
            #expect(try await server.get("/transactions/\(id)?unshared=1", headers: [browser]).body.contains("Lenken er stoppet"))
            let gone = try await server.get("/t/\(token)")
            #expect(gone.status == 404 && gone.body.contains("Lenken virker ikke"))
        }
    }
}
