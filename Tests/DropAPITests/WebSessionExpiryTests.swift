import DropHTML
import Foundation
import Testing
@testable import DropAPI

@Suite("Web: the send form survives a session that ran out")
struct WebSessionExpiryTests {
    @Test func whatWasTypedIsKeptAcrossSigningInAgainAndThePersonIsToldWhy() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let old = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let form = try await server.get("/send", headers: [old])
            let csrf = try #require(HTMLForm(html: form.body)?.fields.first { $0.0 == "csrf" })
            // The session ends (signed out elsewhere, or timed out) while the form is open.
            _ = try await server.postForm("/logout", [csrf], headers: [old, origin])

            let typed = [csrf, ("recipientId", kari.recipientId), ("amount", "2 500"), ("bankAccountId", kari.accountId), ("message", "Til mamma & pappa")]
            let ended = try await server.postForm("/send/quote", typed, headers: [old, origin])
            #expect(ended.status == 303 && ended.location == "/login?error=SESSION_EXPIRED&redirect=%2Fsend")
            let draft = try #require(ended.cookie("drop_send_draft"))
            #expect(ended.headers.first(name: "set-cookie")?.contains("Path=/send; Max-Age=1800; HttpOnly") == true)

            let login = try await server.get(try #require(ended.location))
            #expect(login.body.contains("Du ble logget ut fordi det gikk lang tid.") && login.body.contains("redirect=%2Fsend"))

            // Signed in again (the sign-in comes back to /send): the form has it all, once.
            let fresh = try await server.webSession(TransfersTests.kari)
            let back = try await server.get("/send", headers: [("cookie", "\(fresh.1); drop_send_draft=\(draft)")])
            #expect(back.status == 200 && back.body.contains("Her er det du skrev før du ble logget ut."))
            #expect(WebSendMoneyTests.tag("amount", in: back.body)?.contains(#"value="2 500""#) == true)
            #expect(WebSendMoneyTests.tag("message", in: back.body)?.contains(#"value="Til mamma &amp; pappa""#) == true)
            #expect(back.body.contains(#"<option value="\#(kari.recipientId)" selected>"#))
            #expect(back.headers.first(name: "set-cookie")?.hasPrefix("drop_send_draft=; Path=/send; Max-Age=0") == true)
        }
    }
}
