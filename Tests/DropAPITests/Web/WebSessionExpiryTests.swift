import DropHTML
import Foundation
import Testing
@testable import DropAPI

@Suite("Web: the send form survives a session that ran out")
struct WebSessionExpiryTests {
    /// Kari's session ends (signed out elsewhere, or timed out) while her send form is open, and she posts what she typed.
    static func sendFormPostedAfterItsSessionEnded(_ server: LiveServer) async throws
        -> (kari: TransfersTests.Sender, answer: LiveServer.Reply) {
        let kari = try await TransfersTests.sender(server)
        let old = try await server.webSession(TransfersTests.kari)
        let origin = ("origin", server.baseURL)
        let form = try await server.get("/send", headers: [old])
        let csrf = try #require(HTMLForm(html: form.body)?.fields.first { $0.0 == "csrf" })
        _ = try await server.postForm("/logout", [csrf], headers: [old, origin])
        let typed = [csrf, ("recipientId", kari.recipientId), ("amount", "2 500"), ("bankAccountId", kari.accountId), ("message", "Til mamma & pappa")]
        return (kari, try await server.postForm("/send/quote", typed, headers: [old, origin]))
    }

    @Test func whatWasTypedIsKeptAcrossSigningInAgainAndThePersonIsToldWhy() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, ended) = try await Self.sendFormPostedAfterItsSessionEnded(server)
            #expect(ended.status == 303 && ended.location == "/login?error=SESSION_EXPIRED&redirect=%2Fsend")
            let draft = try #require(ended.cookie("drop_send_draft"))
            #expect(ended.headers.first(name: "set-cookie")?.contains("Path=/send; Max-Age=1800; HttpOnly") == true)

            let login = try await server.get(try #require(ended.location))
            #expect(login.body.contains("Du ble logget ut fordi det gikk lang tid.") && login.body.contains("redirect=/send"))

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

    /// A draft is its author's: Kari's session ends while the send form is open, and Ola signs in on the same
    /// browser before she does. His send form shows nothing of hers and forgets it; hers comes back to her only.
    /// Signing out forgets whatever draft the browser still keeps.
    @Test func aDraftComesBackOnlyToWhoeverTypedIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, ended) = try await Self.sendFormPostedAfterItsSessionEnded(server)
            let kariId = try await server.userId(kari.auth)
            let origin = ("origin", server.baseURL)
            let draft = try #require(ended.cookie("drop_send_draft"))
            #expect(!draft.contains(kariId))

            // Ola, on the same browser (the cookie jar still holds Kari's draft).
            let ola = try await server.webSession(DropKitTests.ola)
            let his = try await server.get("/send", headers: [("cookie", "\(ola.1); drop_send_draft=\(draft)")])
            #expect(his.status == 200 && !his.body.contains("Til mamma"), "\(his.body)")
            #expect(!his.body.contains("Her er det du skrev før du ble logget ut."))
            #expect(his.headers.first(name: "set-cookie")?.hasPrefix("drop_send_draft=; Path=/send; Max-Age=0") == true)
            // Nor one changed in the browser: the fields are sealed with their author.
            let changed = draft.replacingOccurrences(of: "2%20500", with: "9%20000").replacingOccurrences(of: "2+500", with: "9+000")
            #expect(changed != draft)
            let kariAgain = try await server.webSession(TransfersTests.kari)
            #expect(!(try await server.get("/send", headers: [("cookie", "\(kariAgain.1); drop_send_draft=\(changed)")]).body.contains("Her er det du skrev")))

            // Kari's own draft comes back to her.
            let back = try await server.get("/send", headers: [("cookie", "\(kariAgain.1); drop_send_draft=\(draft)")])
            #expect(back.body.contains("Her er det du skrev før du ble logget ut.") && back.body.contains("Til mamma &amp; pappa"))

            // Signing out forgets the drafts this browser keeps, each on its own page's path.
            let page = try await server.get("/send", headers: [kariAgain])
            let token = try #require(HTMLForm(html: page.body)?.fields.first { $0.0 == "csrf" })
            let out = try await server.postForm("/logout", [token], headers: [kariAgain, origin])
            let cleared = out.headers[canonicalForm: "set-cookie"].map(String.init)
            #expect(cleared.contains { $0.hasPrefix("drop_send_draft=; Path=/send; Max-Age=0") }, "\(cleared)")
            #expect(cleared.contains { $0.hasPrefix("drop_standing_draft=; Path=/standing; Max-Age=0") }, "\(cleared)")
        }
    }

    /// The standing transfer's form posted after the session ended comes back as itself, never as the
    /// one-off send form filled in with the monthly amount.
    @Test func aStandingTransferFormComesBackAsItselfAfterSigningInAgain() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let old = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let form = try await server.get("/standing", headers: [old])
            let csrf = try #require(HTMLForm(html: form.body)?.fields.first { $0.0 == "csrf" })
            _ = try await server.postForm("/logout", [csrf], headers: [old, origin])

            let typed = [csrf, ("key", "web-key-1"), ("recipientId", kari.recipientId), ("amount", "1 500"), ("frequency", "monthly"),
                         ("startDate", "2026-10-20"), ("endDate", ""), ("bankAccountId", kari.accountId)]
            let ended = try await server.postForm("/standing", typed, headers: [old, origin])
            #expect(ended.status == 303 && ended.location == "/login?error=SESSION_EXPIRED&redirect=%2Fstanding", "\(ended.location ?? "")")
            #expect(ended.cookie("drop_send_draft") == nil)
            let draft = try #require(ended.cookie("drop_standing_draft"))
            #expect(ended.headers.first(name: "set-cookie")?.contains("Path=/standing; Max-Age=1800; HttpOnly") == true)
            #expect(try await server.get(try #require(ended.location)).body.contains("redirect=/standing"))

            // Signed in again: the standing form has it all, once; the key is a new one.
            let fresh = try await server.webSession(TransfersTests.kari)
            let back = try await server.get("/standing", headers: [("cookie", "\(fresh.1); drop_standing_draft=\(draft)")])
            #expect(back.status == 200 && back.body.contains("Her er det du skrev før du ble logget ut."))
            #expect(WebSendMoneyTests.tag("amount", in: back.body)?.contains(#"value="1 500""#) == true)
            #expect(WebSendMoneyTests.tag("startDate", in: back.body)?.contains(#"value="2026-10-20""#) == true)
            #expect(back.body.contains(#"<option value="\#(kari.recipientId)" selected>"#) && !back.body.contains("web-key-1"))
            #expect(back.headers.first(name: "set-cookie")?.hasPrefix("drop_standing_draft=; Path=/standing; Max-Age=0") == true)
        }
    }

    /// A link opened while signed out (a notification's, an e-mail's, a bookmark) leads through BankID back to
    /// itself, query and all; a form posted without a session starts again from the dashboard.
    @Test func aLinkOpenedSignedOutComesBackAfterSignIn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            _ = try await TransfersTests.sender(server)
            let asked = "/transactions?status=completed&from=2026-01-01"
            let signedOut = try await server.get(asked)
            let login = try #require(signedOut.location)
            #expect(signedOut.status == 303 && login == "/login?redirect=/transactions%3Fstatus%3Dcompleted%26from%3D2026-01-01")
            let page = try await server.get(login)
            let start = try #require(page.body.range(of: #"/v1/auth/bankid/start\?[^"]*"#, options: .regularExpression).map { String(page.body[$0]) })
            let (back, browser) = try await server.approveAtBankID(startURL: start.replacingOccurrences(of: "&amp;", with: "&"), nationalId: TransfersTests.kari)
            let callback = try await server.get(try #require(back.location), headers: browser)
            #expect(callback.status == 302 && callback.location == asked, "\(callback.status) \(callback.location ?? "")")

            #expect(try await server.get("/dashboard").location == "/login")
            #expect(try await server.postForm("/notifications/read-all", [], headers: [("origin", server.baseURL)]).location == "/login")
        }
    }
}
