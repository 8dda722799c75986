import DropCore
import DropKit
import DropTestTools
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A person who splits an amount across an account they erased and the one they opened again: the
/// rules count both (`UserRepository.samePerson`), the alert names every part, and the report the
/// officer drafts covers them all and keeps the erased account's records.
extension ComplianceAdminTests {
    @Test func aSplitAcrossAnErasedAccountIsNamedByTheAlertAndReportedWhole() async throws {
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await LiveServer.run(clock: clock) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let erasedId = UUID().uuidString.lowercased()
            var transferIds: [String] = []
            for index in 1...3 {
                transferIds.append(try await Self.sendApproved(server, kari, amountMinor: 990_000, key: "split-\(index)"))
                clock.advance(10 * 60)
                if index == 2 {
                    // The first two were made from an account Kari has since erased (kept for AML for a year more).
                    try await server.services.database.withConnection { db in
                        try await db.raw("""
                            INSERT INTO users (id, pid_hash, role, created_at, updated_at, deleted_at, retain_until)
                            SELECT \(bind: erasedId), pid_hash, 'user', created_at, updated_at, \(bind: clock.date),
                                   \(bind: clock.date.addingTimeInterval(365 * 86400)) FROM users WHERE id = \(bind: kariId)
                            """).run()
                        for id in transferIds {
                            try await db.raw("UPDATE transactions SET user_id = \(bind: erasedId) WHERE id = \(bind: id)").run()
                        }
                    }
                }
            }
            let admin = try await server.bearer(Self.anders)
            let alert = try #require(try await Self.alerts(server, admin, "rule=structuring&userId=\(kariId)").first)
            #expect(alert.transactionId == transferIds[2])
            // The alert names the parts the officer would not find under Kari's account.
            #expect(alert.findings.first { $0.rule == .structuring }?.transactionIds == Array(transferIds[0...1]))
            let page = try await server.get("/admin/alerts/\(alert.id)", headers: [try await WebComplianceTests.officer(server).cookie])
            #expect(page.status == 200 && page.body.contains("<code>\(transferIds[0])</code>, <code>\(transferIds[1])</code>"), "\(page.body)")

            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alert.id)/escalate", nil, auth: admin)
            #expect(escalated.status == 201, "\(escalated.body)")
            let reportId = try escalated.decode(ComplianceAPI.Escalated.self).strReportId
            #expect(try await Self.report(server, admin, reportId).transactionIds == transferIds)
            // The officer may choose them again, and a report without an alert may name them.
            let ids = transferIds.map { "\"\($0)\"" }.joined(separator: ",")
            let patched = try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"transactionIds":[\#(ids)]}"#, auth: admin)
            #expect(patched.status == 200, "\(patched.body)")
            let chosen = try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(kariId)","transactionIds":["\#(transferIds[0])"]}"#, auth: admin)
            #expect(chosen.status == 201, "\(chosen.body)")
            let xml = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [admin]).body
            #expect(try XMLTree.parse(xml).children(named: "transaction").compactMap { $0.value("internal_ref_number") } == transferIds)

            // The erased account's records are kept five years from the report, as Kari's would be.
            let retainUntil = try await server.services.database.withConnection { db in
                try await db.raw("SELECT retain_until FROM users WHERE id = \(bind: erasedId)").first()?.decode(column: "retain_until", as: Date.self)
            }
            #expect(retainUntil == RecordRetention.keptUntil(madeAt: clock.date))
        }
    }
}
