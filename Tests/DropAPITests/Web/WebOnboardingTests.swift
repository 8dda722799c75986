import Foundation
import Testing
@testable import DropAPI

@Suite("Web onboarding over HTTP")
struct WebOnboardingTests {
    @Test func aPersonSignsInOnboardsAndPassesKYCInTheBrowser() async throws {
        try await LiveServer.run(partiesElsewhere: true) { server in
            let signedIn = try await server.signInWeb("15039010043")
            #expect(signedIn.location == "/onboarding")
            let cookie = ("cookie", "drop_token=\(try #require(signedIn.cookie("drop_token")))")
            let origin = ("origin", server.baseURL)
            let english = ("accept-language", "en")

            let page = try await server.get("/onboarding", headers: [cookie, english])
            #expect(page.status == 200 && page.body.contains("Get started"))
            #expect(!page.body.contains("Start the identity check"))  // not before phone and consents

            let bad = try await server.postForm("/onboarding/phone", [("phone", "123")], headers: [cookie, origin, english])
            #expect(bad.status == 422)
            #expect(bad.body.contains(#"value="123""#) && bad.body.contains(#"aria-invalid="true""#))

            #expect(try await server.postForm("/onboarding/phone", [("phone", "912 34 567")], headers: [cookie, origin]).location == "/onboarding")
            let onlyTerms = try await server.postForm("/onboarding/consents", [("terms", "2026-06")], headers: [cookie, origin, english])
            #expect(onlyTerms.status == 422 && onlyTerms.body.contains("privacy notice"))
            #expect(try await server.postForm("/onboarding/consents", [("terms", "2026-06"), ("privacy", "2026-06")], headers: [cookie, origin]).location == "/onboarding")

            let ready = try await server.get("/onboarding", headers: [cookie, english])
            #expect(ready.body.contains("Start the identity check"))
            // Sumsub is another site than Drop: the page that goes there, not a redirect a browser would refuse.
            let kyc = try await server.postForm("/onboarding/kyc", [], headers: [cookie, origin, english])
            let sdk = try #require(server.handOff(kyc), "\(kyc.status) \(kyc.location ?? "")")
            #expect(sdk.hasPrefix("http://localhost:") && sdk.contains("/sandbox/sumsub/") && kyc.body.contains("Continue to the identity check"))
            let sdkPage = try await server.get(sdk)
            let form = try #require(HTMLForm(html: sdkPage.body))
            let target = form.action.isEmpty ? sdk : (form.action.hasPrefix("http") ? form.action : server.baseURL + form.action)
            let back = try await server.postForm(target, form.fields + [("decision", "submit")])
            #expect(back.location?.hasSuffix("/onboarding") == true)

            try await server.eventually("the KYC verdict") {
                try await server.get("/dashboard", headers: [cookie, english]).body.contains("ready to send money")
            }
            // Once approved, onboarding ends with a way on rather than "do this later".
            let done = try await server.get("/onboarding", headers: [cookie, english]).body
            #expect(done.contains(#"<a class="button primary" href="/dashboard">All set – continue</a>"#) && !done.contains("Do this later"))
            // A write without Drop's origin is refused (CSRF).
            #expect(try await server.postForm("/onboarding/phone", [("phone", "98765432")], headers: [cookie, ("origin", "https://evil.example")]).status == 403)
        }
    }
}
