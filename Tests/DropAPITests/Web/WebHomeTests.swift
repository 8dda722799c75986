import Foundation
import Testing
@testable import DropAPI

@Suite("Web front page: a way in for visitors, home for the signed-in")
struct WebHomeTests {
    @Test func visitorsGetASignInButtonAndTheSignedInGoToTheirDashboard() async throws {
        try await LiveServer.run { server in
            let visitor = try await server.get("/")
            #expect(visitor.status == 200 && visitor.body.contains(#"<a class="button primary" href="/login">Logg inn med BankID</a>"#))
            let browser = try await server.webSession("15039010043")
            // The logo and the error page's "Til forsiden" point at "/": for someone signed in that is the dashboard.
            let home = try await server.get("/", headers: [browser])
            #expect(home.status == 303 && home.location == "/dashboard")
            let missing = try await server.get("/finnes-ikke", headers: [browser, ("accept", "text/html")])
            #expect(missing.status == 404 && missing.body.contains(#"<a href="/">Til forsiden</a>"#))
            #expect(try await server.get("/dashboard", headers: [browser]).body.contains(#"<a class="brand" href="/">"#))
        }
    }
}
