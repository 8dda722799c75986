import DropCore
import DropKit
import Foundation
import SQLKit
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

    /// Every customer an officer is shown is in the audit log under the officer, with how they were
    /// found; never the number or the name searched.
    @Test func everyCustomerRecordAnOfficerReadsIsAudited() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let perId = try await server.userId(try await server.bearer(Self.per))
            let admin = try await server.bearer(Self.anders)
            let andersId = try await server.userId(admin)

            #expect(try await Self.customers(server, admin, nationalId: Self.per).map(\.id) == [perId])
            #expect(try await Self.lookups(server, perId).map(\.actor) == [andersId])
            #expect(try await Self.customers(server, admin, "name=politik").map(\.id) == [perId])
            #expect(try await server.get("/v1/admin/users/\(perId)", headers: [admin]).status == 200)
            let console = try await WebComplianceTests.officer(server)
            let page = try await console.post("/admin/customers", [("nationalId", Self.per)], from: "/admin/customers")
            #expect(page.status == 200 && page.body.contains("Per Politiker"), "\(page.status)")

            let rows = try await Self.lookups(server, perId)
            #expect(rows.map(\.by) == ["nationalId", "name", "id", "nationalId"] && rows.allSatisfy { $0.actor == andersId })
            // What was searched is in no row, nor the hash that stands for the number.
            let pidHash = server.services.pidHasher.hash(try NationalIdentityNumber(Self.per))
            for row in rows {
                #expect(!row.data.contains(Self.per) && !row.data.lowercased().contains("politik") && !row.data.contains(pidHash), "\(row.data)")
            }
            // A search that finds nobody shows no one's record.
            #expect(try await Self.customers(server, admin, nationalId: "01078510133").isEmpty)
            #expect(try await Self.lookups(server, perId).count == 4)
        }
    }

    static func lookups(_ server: LiveServer, _ userId: String) async throws -> [(actor: String?, by: String?, data: String)] {
        try await server.services.database.withConnection { db in
            try await db.raw("""
                SELECT actor_id, data FROM audit_log WHERE action = 'customer.looked_up' AND entity_type = 'user' AND entity_id = \(bind: userId) ORDER BY seq
                """).all().map { row in
                let data = try row.decode(column: "data", as: String.self)
                let by = (try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: String])?["by"]
                return (try row.decode(column: "actor_id", as: String?.self), by, data)
            }
        }
    }
}
