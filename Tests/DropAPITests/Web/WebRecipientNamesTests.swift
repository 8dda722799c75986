import DropHTML
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Web: ordinary names are accepted and shown as the bank will receive them; IBAN examples per country")
struct WebRecipientNamesTests {
    @Test func hansMuellerAndBjoernAasenAreAcceptedAndShownAsTheBankGetsThem() async throws {
        try await LiveServer.run { server in
            let browser = try await server.webSession("15039010043")
            let origin = ("origin", server.baseURL)

            // Germany's form shows a German IBAN example, grouped in fours (it showed a Polish one).
            let germany = try await server.get("/recipients?corridor=DE-EUR", headers: [browser])
            #expect(germany.body.contains("for eksempel DE89 3704 0044 0532 0130 00.") && !germany.body.contains("PL61"))
            #expect(try await server.get("/recipients?corridor=FI-EUR", headers: [browser]).body.contains("for eksempel FI"))
            let csrf = try #require(HTMLForm(html: germany.body)?.fields.first { $0.0 == "csrf" })

            for (name, iban, atBank) in [("Hans Müller", "DE89370400440532013000", "Hans Mueller"),
                                         ("Bjørn Åsen", "DE89 3704 0044 0532 0130 00", "Bjorn Aasen")] {
                let added = try await server.postForm("/recipients", [csrf, ("corridor", "DE-EUR"), ("name", name), ("iban", iban),
                                                                      ("relationship", "family")], headers: [browser, origin])
                #expect(added.status == 303 && added.location == "/recipients?added=1", "\(name): \(added.body.prefix(300))")
                let list = try await server.get("/recipients", headers: [browser])
                #expect(list.body.contains(HTML.escape(name)) && list.body.contains("Banken får navnet som: \(atBank)"))
            }
            // Stored as typed; only the payment carries the Latin writing. IBANs grouped in fours.
            let list = try await server.get("/recipients", headers: [browser, ("accept-language", "en")]).body
            #expect(list.contains("Their bank receives the name as: Hans Mueller") && list.contains("DE89 3704 0044 0532 0130 00"))
            // A name with no Latin writing is still refused, in Norwegian, on its field.
            let refused = try await server.postForm("/recipients", [csrf, ("corridor", "DE-EUR"), ("name", "李小龍"), ("iban", "DE89370400440532013000"),
                                                                    ("relationship", "family")], headers: [browser, origin])
            #expect(refused.status == 422 && refused.body.contains(#"id="name-error">Skriv navnet med latinske bokstaver (a–z), slik det står i mottakerens pass."#))
        }
    }

    /// One saved before payments abroad had to be in Latin letters says so, and offers no transfer to it.
    @Test func aRecipientSavedInCyrillicIsShownAsNeedingLatinLetters() async throws {
        try await LiveServer.run { server in
            let browser = try await server.webSession("15039010043")
            let origin = ("origin", server.baseURL)
            let form = try await server.get("/recipients?corridor=DE-EUR", headers: [browser])
            let csrf = try #require(HTMLForm(html: form.body)?.fields.first { $0.0 == "csrf" })
            let added = try await server.postForm("/recipients", [csrf, ("corridor", "DE-EUR"), ("name", "Hans Meier"), ("iban", "DE89370400440532013000"),
                                                                  ("relationship", "family")], headers: [browser, origin])
            #expect(added.status == 303)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE recipients SET name = \(bind: "Ганс Майєр")").run()
            }
            let list = try await server.get("/recipients", headers: [browser]).body
            #expect(list.contains("Betalinger til utlandet bærer navn og adresser bare med latinske bokstaver") && !list.contains("/send?recipientId="))
        }
    }
}
