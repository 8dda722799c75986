import DropKit
import DropStore
import Foundation
import Testing
@testable import DropAPI

extension ComplianceAdminTests {
    /// One officer edits a draft report's transactions while another files it (PostgreSQL: two requests,
    /// no write gate). The edit waits for the report's row, then finds it filed: 409, and the report
    /// stays what went to the FIU. Before, the edit had read "draft" and replaced the transactions of
    /// the filed report, and its text change silently matched nothing.
    @Test func aReportFiledWhileItIsEditedKeepsWhatWasFiled() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let per = try await Self.perReadyToSend(server)
            let first = try await Self.send(server, per, amountMinor: 50_000, key: "filed-1").decode(TransactionCreated.self).transaction.id
            let second = try await Self.send(server, per, amountMinor: 40_000, key: "filed-2").decode(TransactionCreated.self).transaction.id
            let perId = try await server.userId(per.auth)
            let admin = try await server.bearer(Self.anders)
            let adminId = try await server.userId(admin)
            let alertId = try #require(try await Self.alerts(server, admin, "userId=\(perId)").first { $0.transactionId == first }?.id)
            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin)
            #expect(escalated.status == 201, "\(escalated.body)")
            let reportId = try escalated.decode(ComplianceAPI.Escalated.self).strReportId

            let edit = try await server.services.database.transaction { db -> Task<LiveServer.Reply, any Error> in
                // The filing, not yet committed.
                #expect(try await STRReportRepository.file(id: reportId, by: adminId, fiuReference: "FIU-1", at: server.clock.date, on: db))
                let edit = Task.detached {
                    try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"transactionIds":["\#(second)"],"reason":"Changed."}"#, auth: admin)
                }
                try await Task.sleep(for: .seconds(1))
                return edit
            }
            let answer = try await edit.value
            #expect(answer.status == 409, "\(answer.body)")
            let report = try await Self.report(server, admin, reportId)
            #expect(report.status == .filed && report.transactionIds == [first] && report.reason != "Changed.")
        }
    }
}
