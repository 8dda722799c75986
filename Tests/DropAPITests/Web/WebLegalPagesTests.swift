import DropCore
import Foundation
import Testing
@testable import DropAPI
@testable import DropWeb

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

            // A Polish or Arabic reader gets the English text, marked as English, and told so in their language.
            let polish = try await server.get("/terms", headers: [("cookie", "drop_lang=pl")]).body
            #expect(polish.contains(#"<html lang="pl""#) && polish.contains("Ten tekst obowiązuje") && polish.contains(#"<div lang="en" dir="ltr">"#))
            #expect(polish.contains("Drop never holds your money."))
            let arabic = try await server.get("/privacy", headers: [("cookie", "drop_lang=ar")]).body
            #expect(arabic.contains(#"dir="rtl""#) && arabic.contains(#"<div lang="en" dir="ltr">"#) && arabic.contains("Datatilsynet"))
        }
    }

    /// The texts are resource files; both binding languages have every document, section for section.
    @Test func everyDocumentIsWrittenInBothBindingLanguages() {
        for document in LegalPages.Document.allCases {
            let norwegian = LegalPages.texts[LegalPages.file(document, .nb)] ?? []
            let english = LegalPages.texts[LegalPages.file(document, .en)] ?? []
            #expect(norwegian.count >= 5 && norwegian.count == english.count, "\(document)")
            #expect((norwegian + english).allSatisfy { !$0.heading.isEmpty && !$0.paragraphs.isEmpty && $0.paragraphs.allSatisfy { !$0.isEmpty } })
        }
    }
}
