import DropKit
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// The console's lookup by national identity number posts the number: in a URL it would stay in
/// proxies' access logs, the browser's history and the login's way back (`oidc_logins.redirect_path`).
extension WebComplianceTests {
    @Test func aNationalIdNeverTravelsInAURL() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let number = ComplianceAdminTests.per
            _ = try await Self.pepAlert(server)

            // Signed out, a link with the number leads to the login without it, and the login keeps none.
            for path in ["/admin/customers?nationalId=\(number)", "/admin/customers?name=x&nationalId=\(number)", "/admin/alerts?nationalId=\(number)"] {
                let signedOut = try await server.get(path)
                #expect(signedOut.status == 303 && signedOut.location?.contains(number) == false, "\(path): \(signedOut.location ?? "")")
                let login = try await server.get(try #require(signedOut.location))
                let start = try #require(login.body.firstMatch(of: /href="(\/v1\/auth\/bankid\/start[^"]*)"/)?.1)
                #expect(!start.contains(number))
                #expect(try await server.get(String(start).replacingOccurrences(of: "&amp;", with: "&")).status == 302)
            }
            #expect(try await server.get("/admin/customers?nationalId=\(number)").location == "/login?redirect=/admin/customers")
            let kept = try await server.services.database.withConnection { db in
                try await db.raw("SELECT redirect_path FROM oidc_logins WHERE redirect_path IS NOT NULL").all()
                    .map { try $0.decode(column: "redirect_path", as: String.self) }
            }
            #expect(kept.sorted() == ["/admin/alerts", "/admin/customers", "/admin/customers"], "\(kept)")

            // Signed in, a link with the number is not searched: back to the empty form, without it.
            let officer = try await Self.officer(server)
            let linked = try await server.get("/admin/customers?nationalId=\(number)", headers: [officer.cookie])
            #expect(linked.status == 303 && linked.location == "/admin/customers")

            // Looking up is a read: an officer whose sign-in is older than the step-up age is not sent to BankID.
            server.clock.advance(6 * 60)
            let found = try await officer.post("/admin/customers", [("nationalId", number)], from: "/admin/customers")
            #expect(found.status == 200 && found.body.contains("Per Politiker") && !found.body.contains(number))
        }
    }
}
