import DropCore
import Foundation
import Testing
@testable import DropAPI

/// The terms and the privacy notice people accept (issue 16, "Also": links beside their checkboxes).
@Suite("Web: the terms and the privacy notice, public, at the version the consent records, linked where they are accepted")
struct WebLegalPagesTests {
    @Test func theTextsAreThereInBothLanguagesAndLinkedBesideTheirCheckboxes() async throws {
        try await LiveServer.run { server in
            let terms = try await server.get("/terms")
            #expect(terms.status == 200 && terms.body.contains("<h1>Brukervilkår</h1>")
                && terms.body.contains("Versjon \(ConsentType.terms.currentVersion).")
                && terms.body.contains("0,5 %") && terms.body.contains("Finansklagenemnda") && terms.body.contains("Drop holder aldri pengene dine."))
            let privacy = try await server.get("/privacy", headers: [("cookie", "drop_lang=en")])
            #expect(privacy.status == 200 && privacy.body.contains("<h1>Privacy notice</h1>")
                && privacy.body.contains("Version \(ConsentType.privacy.currentVersion).")
                && privacy.body.contains("5 years after the relationship ends") && privacy.body.contains("Datatilsynet"))
            let home = try await server.get("/").body
            #expect(home.contains(#"<a href="/terms">Brukervilkår</a>"#) && home.contains(#"<a href="/privacy">Personvernerklæring</a>"#))

            // Where they are accepted: a link beside each required checkbox, none beside marketing.
            let ola = try await server.webSession("01078510133")
            let onboarding = try await server.get("/onboarding", headers: [ola]).body
            #expect(onboarding.contains(#"</label> <a href="/terms">Les vilkårene</a></div>"#))
            #expect(onboarding.contains(#"</label> <a href="/privacy">Les personvernerklæringen</a></div>"#))
            #expect(!onboarding.contains(#"href="/marketing""#))
        }
    }
}
