import Foundation
import Testing
@testable import DropAPI

@Suite("Web bank accounts over HTTP")
struct WebBankAccountsTests {
    @Test func kariLinksDNBInTheBrowserAndSeesHerBalance() async throws {
        // Her bank is another site than Drop, as in production.
        try await LiveServer.run(partiesElsewhere: true) { server in
            let signedIn = try await server.signInWeb("15039010043")
            let cookie = ("cookie", "drop_token=\(try #require(signedIn.cookie("drop_token")))")
            let origin = ("origin", server.baseURL)
            let english = ("accept-language", "en")

            #expect(try await server.get("/dashboard", headers: [cookie, english]).body.contains("Connect your bank"))
            let page = try await server.get("/bank-accounts", headers: [cookie, english])
            #expect(page.status == 200 && page.body.contains("You have not connected a bank yet.") && page.body.contains(#"<option value="dnb">DNB</option>"#))

            let toBank = try await server.postForm("/bank-accounts/connect", [("bank", "dnb")], headers: [cookie, origin])
            // The bank's consent page is another origin: the page that goes there, in her language, not a redirect.
            let sca = try #require(server.handOff(toBank), "\(toBank.status) \(toBank.location ?? "")")
            #expect(sca.hasPrefix("http://localhost:") && sca.contains("/sandbox/bank/dnb/sca/consents/"))
            #expect(toBank.body.contains("<h1>Videre til banken din</h1>"))
            let back = try await server.approveAtBank(sca, as: "15039010043")
            let callback = try await server.get(try #require(back.location))
            #expect(callback.location == "/bank-accounts?connected=dnb")

            let linked = try await server.get("/bank-accounts?connected=dnb", headers: [cookie, english])
            #expect(linked.body.contains("DNB is connected.") && linked.body.contains("NOK 42,350.00") && linked.body.contains("NOK 128,900.00"))
            #expect(try await server.get("/dashboard", headers: [cookie, english]).body.contains("NOK 171,250.00"))
            // Only a bank Drop knows is announced: someone else's words in the link are not said in Drop's voice.
            let forged = try await server.get("/bank-accounts?connected=Call%20me%20on%20%2B47%2099%2088%2077%2066", headers: [cookie, english])
            #expect(forged.status == 200 && !forged.body.contains("Call me") && !forged.body.contains("is connected"))

            // A bank that doesn't exist comes back as an explained error, in Norwegian by default.
            let unknown = try await server.postForm("/bank-accounts/connect", [("bank", "bank-of-nowhere")], headers: [cookie, origin])
            #expect(unknown.location == "/bank-accounts?error=VALIDATION_FAILED")
            #expect(try await server.get(try #require(unknown.location), headers: [cookie]).body.contains("Vi fikk ikke koblet til banken"))
            // Writes need Drop's origin.
            #expect(try await server.postForm("/bank-accounts/connect", [("bank", "dnb")], headers: [cookie, ("origin", "https://evil.example")]).status == 403)
        }
    }
}
