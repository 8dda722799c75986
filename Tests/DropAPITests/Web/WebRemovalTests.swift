import DropHTML
import Foundation
import Testing
@testable import DropAPI

@Suite("Web: deleting a recipient and removing a bank account ask first, without JavaScript, and stick")
struct WebRemovalTests {
    @Test func deletingARecipientAsksFirstOnAPageOfItsOwn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)

            // The list's "Slett" is a link to a confirmation, not a form that deletes.
            let list = try await server.get("/recipients", headers: [browser])
            #expect(list.body.contains(#"href="/recipients/\#(kari.recipientId)/delete""#))
            #expect(!list.body.contains(#"action="/recipients/\#(kari.recipientId)/delete""#))
            #expect(list.body.contains("PL61 1090 1014 0000 0712 1981 2874"))

            let confirm = try await server.get("/recipients/\(kari.recipientId)/delete", headers: [browser])
            #expect(confirm.status == 200)
            #expect(confirm.body.contains("<title>Slette Zofia Wójcik? · Drop</title>") && confirm.body.contains("Ja, slett mottakeren"))
            #expect(confirm.body.contains(#"<a class="button" href="/recipients">Avbryt</a>"#))
            #expect(try await server.get("/recipients/\(kari.recipientId)/delete", headers: [browser, ("accept-language", "en")])
                .body.contains("Delete Zofia Wójcik?"))
            // Only after the confirmation's own button.
            #expect(try await server.get("/recipients", headers: [browser]).body.contains("Zofia Wójcik"))
            let form = try #require(HTMLForm(html: confirm.body))
            #expect(form.action == "/recipients/\(kari.recipientId)/delete")
            let deleted = try await server.postForm(form.action, form.fields, headers: [browser, origin])
            #expect(deleted.status == 303 && deleted.location == "/recipients?deleted=1")
            #expect(!(try await server.get("/recipients?deleted=1", headers: [browser]).body.contains("Zofia Wójcik")))
            // Gone, and someone else's or unknown id is a 404 page, never a 500.
            #expect(try await server.get("/recipients/\(kari.recipientId)/delete", headers: [browser]).status == 404)
            #expect(try await server.get("/recipients/not-a-uuid/delete", headers: [browser]).status == 404)
        }
    }

    @Test func removingABankAccountAsksFirstAndTheNextRefreshDoesNotBringItBack() async throws {
        try await LiveServer.run { server in
            let browser = try await server.webSession(BankAccountsTests.kari)
            let origin = ("origin", server.baseURL)
            let toBank = try await server.postForm("/bank-accounts/connect", [("bank", "dnb")], headers: [browser, origin])
            let back = try await server.approveAtBank(try #require(toBank.location), as: BankAccountsTests.kari)
            _ = try await server.get(try #require(back.location))
            let accounts = try await BankAccountsTests.accounts(server, browser)
            try #require(accounts.count == 2)
            let removed = accounts[0].id, kept = accounts[1].id

            let page = try await server.get("/bank-accounts", headers: [browser])
            #expect(page.body.contains(#"href="/bank-accounts/\#(removed)/remove""#) && !page.body.contains(#"action="/bank-accounts/\#(removed)/remove""#))
            let confirm = try await server.get("/bank-accounts/\(removed)/remove", headers: [browser])
            #expect(confirm.status == 200 && confirm.body.contains("Ja, fjern kontoen") && confirm.body.contains("i DNB?"))
            let form = try #require(HTMLForm(html: confirm.body))
            let done = try await server.postForm(form.action, form.fields, headers: [browser, origin])
            #expect(done.location == "/bank-accounts?removed=1")
            #expect(try await server.get("/bank-accounts?removed=1", headers: [browser]).body.contains("Kontoen er fjernet fra Drop."))

            // The page's "Oppdater" reads every account of the consent from the bank again.
            let csrf = try #require(form.fields.first { $0.0 == "csrf" })
            #expect(try await server.postForm("/bank-accounts/\(kept)/refresh", [csrf], headers: [browser, origin]).location == "/bank-accounts")
            let after = try await server.get("/bank-accounts", headers: [browser])
            #expect(!after.body.contains(removed) && after.body.contains(kept))
            #expect(try await server.get("/bank-accounts/\(removed)/remove", headers: [browser]).status == 404)
        }
    }
}
