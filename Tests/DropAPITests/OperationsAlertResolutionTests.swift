import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// An operations alert is handled by a person (the runbook's step for its kind) and resolved with how:
/// it leaves the open list and the gauge, the officer's words stay on the alert, and an audit row
/// says who resolved which alert when.
@Suite struct OperationsAlertResolutionTests {
    struct Report: Decodable {
        struct Alert: Decodable { let id: String; let kind: String }
        let alerts: [Alert]
    }

    /// A `late_settlement` alert as the payment-status service raises it.
    static func raise(_ server: LiveServer, entityId: String = UUID().uuidString) async throws -> String {
        try await server.services.database.transaction { db in
            try await OperationsAlertRepository.raise(.lateSettlement, entityType: "transaction", entityId: entityId,
                                                      details: ["status": "expired"], at: server.clock.date, on: db)
        }
        let open = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
        return try #require(open.first { $0.entityId == entityId }?.id)
    }

    @Test func anOfficerResolvesAnAlertOnceWithHowItWasHandled() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let id = try await Self.raise(server)
            let other = try await Self.raise(server)
            let admin = try await server.bearer(ComplianceAdminTests.anders, stepUp: true)
            let path = "/v1/admin/reconciliation/alerts/\(id)/resolve"

            let noReason = try await server.call(.POST, path, "{}", auth: admin)
            #expect(noReason.status == 422 && noReason.issue("reason") == "required")
            let kari = try await TransfersTests.sender(server)
            #expect(try await server.call(.POST, path, #"{"reason":"x"}"#, auth: kari.auth).status == 403)

            let resolved = try await server.call(.POST, path, #"{"reason":"Partner confirmed the return by phone, ref 118."}"#, auth: admin)
            #expect(resolved.status == 204, "\(resolved.body)")
            let open = try await server.get("/v1/admin/reconciliation", headers: [admin]).decode(Report.self).alerts.map(\.id)
            #expect(!open.contains(id) && open.contains(other))
            #expect(server.services.metrics.exposition().contains("drop_operations_alerts_open 1"))
            // Kept on the alert, not in the audit log, which holds no free text.
            let row = try await server.services.database.withConnection { db in
                try await db.raw("SELECT resolved_by, resolution FROM operations_alerts WHERE id = \(bind: id)").first()
            }
            #expect(try row?.decode(column: "resolution", as: String.self) == "Partner confirmed the return by phone, ref 118.")
            #expect(try row?.decode(column: "resolved_by", as: String.self) == (try await server.userId(admin)))
            let audit = try await ComplianceAdminTests.auditRows(server, entityId: id)
            #expect(audit.map(\.action) == ["operations_alert.resolved"])

            // Resolved once: a second resolution is refused, an unknown alert is 404.
            #expect(try await server.call(.POST, path, #"{"reason":"again"}"#, auth: admin).status == 409)
            #expect(try await server.call(.POST, "/v1/admin/reconciliation/alerts/\(UUID().uuidString)/resolve", #"{"reason":"x"}"#, auth: admin).status == 404)
        }
    }

    /// A problem a job keeps seeing (the partner refusing Drop's credentials) is raised once while its alert is
    /// open; once resolved, seeing it again raises it again: the credentials a person rotated may be refused too.
    @Test func aProblemSeenAgainAfterItsAlertWasResolvedIsRaisedAgain() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let database = server.services.database
            func refused() async throws -> Bool {
                try await database.transaction { db in
                    try await OperationsAlertRepository.raise(.payoutPartnerRefused, entityType: "payout", entityId: "P1",
                                                              details: ["httpStatus": 401], dedupeKey: "payout_partner_refused:P1:401",
                                                              at: server.clock.date, on: db)
                }
            }
            #expect(try await refused())
            #expect(try await !refused(), "seen again while open: the same alert")
            let first = try #require(try await database.withConnection { try await OperationsAlertRepository.open(on: $0) }.first?.id)
            let admin = try await server.bearer(ComplianceAdminTests.anders, stepUp: true)
            let resolved = try await server.call(.POST, "/v1/admin/reconciliation/alerts/\(first)/resolve",
                                                 #"{"reason":"Rotated PAYOUT_CLIENT_SECRET"}"#, auth: admin)
            #expect(resolved.status == 204, "\(resolved.body)")

            #expect(try await refused(), "still refused after it was handled: a new alert")
            let open = try await database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            #expect(open.count == 1 && open.first?.id != first && open.first?.kind == .payoutPartnerRefused)
            #expect(try await !refused())
        }
    }

    /// An alert about one event (the bank settling a transfer that had ended) stays resolved: the reconciler
    /// re-reading the same event every round would otherwise bring it back a minute after it was handled.
    @Test func anEventsAlertStaysResolvedThoughTheEventIsReadAgain() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let database = server.services.database
            func seen() async throws -> Bool {
                try await database.transaction { db in
                    try await OperationsAlertRepository.raise(.lateSettlement, entityType: "transaction", entityId: "T1", details: ["status": "expired"],
                                                              dedupeKey: "late_settlement:T1", at: server.clock.date, on: db)
                }
            }
            #expect(try await seen())
            let id = try #require(try await database.withConnection { try await OperationsAlertRepository.open(on: $0) }.first?.id)
            let admin = try await server.bearer(ComplianceAdminTests.anders, stepUp: true)
            #expect(try await server.call(.POST, "/v1/admin/reconciliation/alerts/\(id)/resolve", #"{"reason":"Returned by hand"}"#, auth: admin).status == 204)
            #expect(try await !seen())
            #expect(try await database.withConnection { try await OperationsAlertRepository.open(on: $0) }.isEmpty)
        }
    }

    @Test func theConsoleResolvesAnAlertFromTheReconciliationPage() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let id = try await Self.raise(server)
            let officer = try await WebComplianceTests.officer(server)
            let page = "/admin/reconciliation"
            let shown = try await server.get(page, headers: [officer.cookie])
            #expect(shown.body.contains(#"action="/admin/reconciliation/alerts/\#(id)/resolve""#))
            let csrf = try await officer.csrf(page)
            let headers = [officer.cookie, officer.origin, ("referer", server.baseURL + page)]
            let empty = try await server.postForm("\(page)/alerts/\(id)/resolve", [("csrf", csrf), ("reason", " ")], headers: headers)
            #expect(empty.status == 422 && empty.body.contains(#"id="resolve-\#(id)-error""#))
            let done = try await server.postForm("\(page)/alerts/\(id)/resolve", [("csrf", csrf), ("reason", "Settled by hand")], headers: headers)
            #expect(done.status == 303 && done.location == "/admin/reconciliation?resolved=1")
            let after = try await server.get(try #require(done.location), headers: [officer.cookie])
            #expect(after.body.contains(#"class="notice" role="status""#) && !after.body.contains("/alerts/\(id)/resolve"))
        }
    }
}
