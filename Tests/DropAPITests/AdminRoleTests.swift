import DropAPI
import Foundation
import Testing

/// `drop admin grant|revoke`: the operator's way to an admin, audited, without the number anywhere.
@Suite("Admin role from the command line")
struct AdminRoleTests {
    @Test func grantAndRevokeChangeWhatTheSessionMayDo() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer("15039010043")
            #expect(try await server.get("/v1/admin/audit-log", headers: [kari]).status == 403)

            let roles = server.services.adminRoles
            let granted = try await roles.setAdmin(nationalId: "15039010043", granted: true, operatorName: "ops")
            #expect(granted.role == .admin)
            // The session she already has works at once; the grant is in the audit log, with no number. Another
            // admin reads it there; she doesn't, as no admin reads the rows about their own customer record.
            let log = try await server.get("/v1/admin/audit-log", headers: [kari])
            #expect(log.status == 200 && !log.body.contains("user.admin_granted"))
            let seen = try await server.get("/v1/admin/audit-log", headers: [try await server.bearer(ComplianceAdminTests.anders)])
            #expect(seen.body.contains("user.admin_granted") && !seen.body.contains("15039010043"))

            #expect(try await roles.setAdmin(nationalId: "15039010043", granted: false, operatorName: "ops").role == .user)
            #expect(try await server.get("/v1/admin/audit-log", headers: [kari]).status == 403)

            // Only customers who signed in once, and only valid numbers.
            await #expect(throws: AdminRoleService.Failure.self) {
                try await roles.setAdmin(nationalId: "01078510133", granted: true, operatorName: "ops")
            }
            await #expect(throws: AdminRoleService.Failure.self) {
                try await roles.setAdmin(nationalId: "15039010044", granted: true, operatorName: "ops")
            }
        }
    }

    /// The audit row names who granted the role as they named themselves (`--operator` or `DROP_OPERATOR`), never a
    /// `$USER` fallback: a container sets none, and every row said "operator".
    @Test func aGrantNamesItsOperator() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer("15039010043")
            let roles = server.services.adminRoles
            for nobody in ["", "  ", "operator", "Operator"] {
                await #expect(throws: AdminRoleService.Failure.operatorNotNamed) {
                    try await roles.setAdmin(nationalId: "15039010043", granted: true, operatorName: nobody)
                }
            }
            #expect(try await server.get("/v1/admin/audit-log", headers: [kari]).status == 403)
            #expect(OperatorName.from(option: nil, environment: [:]) == nil)
            #expect(OperatorName.from(option: nil, environment: ["DROP_OPERATOR": "operator", "USER": "root"]) == nil)
            #expect(OperatorName.from(option: nil, environment: ["DROP_OPERATOR": " kari.ops "]) == "kari.ops")
            #expect(OperatorName.from(option: "", environment: ["DROP_OPERATOR": "kari.ops"]) == nil)
            #expect(OperatorName.from(option: "ola.ops", environment: ["DROP_OPERATOR": "kari.ops"]) == "ola.ops")
        }
    }
}
