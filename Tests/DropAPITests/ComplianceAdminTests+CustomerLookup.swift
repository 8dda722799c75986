import DropKit
import Foundation
import Testing
@testable import DropAPI

/// A national identity number never stands in a URL, where every proxy's access log and the
/// browser's history would keep it: the lookup by number is a POST with a JSON body.
extension ComplianceAdminTests {
    @Test func aCustomerIsLookedUpByNationalIdInTheBodyNeverInTheURL() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let perId = try await server.userId(try await server.bearer(Self.per))
            let admin = try await server.bearer(Self.anders)

            let inURL = try await server.get("/v1/admin/users?nationalId=\(Self.per)", headers: [admin])
            #expect(inURL.status == 400 && inURL.issue("nationalId") == "use_post" && !inURL.body.contains(Self.per), "\(inURL.body)")
            #expect(inURL.apiError.message.contains("POST /v1/admin/users/search"))

            // A read: an admin whose sign-in is older than the step-up age may still look up.
            server.clock.advance(6 * 60)
            #expect(try await Self.customers(server, admin, nationalId: Self.per).map(\.id) == [perId])
            let byName = try await server.call(.POST, "/v1/admin/users/search", #"{"name":"politik"}"#, auth: admin)
            #expect(byName.status == 200 && byName.body.contains(perId))
            #expect(try await Self.customers(server, admin, "name=politik").map(\.id) == [perId])
            let both = try await server.call(.POST, "/v1/admin/users/search", #"{"name":"Per","nationalId":"\#(Self.per)"}"#, auth: admin)
            #expect(both.status == 422 && !both.body.contains(Self.per))
            // A write on the same stale session still has to step up.
            let write = try await server.call(.POST, "/v1/admin/aml-alerts/\(UUID().uuidString.lowercased())/dismiss", #"{"reason":"x"}"#, auth: admin)
            #expect(write.errorCode == "STEP_UP_REQUIRED")
            // Nobody else may search.
            #expect(try await server.call(.POST, "/v1/admin/users/search", #"{"nationalId":"\#(Self.per)"}"#, auth: try await server.bearer(TransfersTests.kari)).status == 403)
        }
    }
}
