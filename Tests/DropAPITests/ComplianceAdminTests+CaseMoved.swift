import DropCore
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// The second officer approves what was proposed, seeing the case as it is (ADR 0032): every alert on
/// the transfer, dismissed ones too, with who dismissed each and why; an alert resolved after the
/// proposal ends it.
extension ComplianceAdminTests {
    struct ReviewedAlert: Decodable {
        let id: String
        let status: AMLAlertStatus
        let resolvedBy: String?
        let resolutionReason: String?
    }

    struct ReviewedTransfer: Decodable {
        let openAlertCount: Int?
        let alerts: [ReviewedAlert]?
    }

    static func reviewed(_ server: LiveServer, _ id: String, by officer: (String, String)) async throws -> ReviewedTransfer {
        try await server.get("/v1/admin/transactions/\(id)", headers: [officer]).decode(ReviewedTransfer.self)
    }

    /// Before, Anders could dismiss the alert on a held transfer and propose it: Berit saw an open alert
    /// count of 0 and approved blind. Now she sees the dismissed alert, that Anders dismissed it, and why.
    @Test func theApproverSeesTheAlertsTheProposerDismissed() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server, key: "ke-dismissed-seen")
            let anders = try await server.bearer(Self.anders)
            let alertId = try #require(try await Self.reviewed(server, id, by: anders).alerts?.first?.id)
            let dismissed = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Nothing to see."}"#, auth: anders)
            #expect(dismissed.status == 200, "\(dismissed.body)")
            #expect(try await Self.propose(server, id, by: anders).status == 200)

            let berit = try await server.bearer(LiveServer.secondOfficer)
            let seen = try await Self.reviewed(server, id, by: berit)
            #expect(seen.openAlertCount == 0)
            let andersId = try await Self.userId(server, anders)
            let alerts = try #require(seen.alerts)
            #expect(alerts.count == 1 && alerts.first?.status == .dismissed && alerts.first?.resolvedBy == andersId
                    && alerts.first?.resolutionReason == "Nothing to see.", "\(alerts)")
        }
    }

    /// Anders proposes, then dismisses the transfer's alert: Berit's approval would be of a case other
    /// than the one proposed. It is refused (409), the proposal ends (audited), the transfer stays held,
    /// and a fresh proposal on the case as it now is can be approved.
    @Test func anAlertDismissedAfterTheProposalEndsIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server, key: "ke-case-moved")
            let anders = try await server.bearer(Self.anders)
            let berit = try await server.bearer(LiveServer.secondOfficer)
            let alertId = try #require(try await Self.reviewed(server, id, by: anders).alerts?.first?.id)
            server.clock.advance(60)
            #expect(try await Self.propose(server, id, by: anders).status == 200)
            server.clock.advance(60)
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Nothing to see."}"#, auth: anders).status == 200)

            let refused = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: berit)
            #expect(refused.status == 409 && refused.errorCode == "RELEASE_CASE_MOVED", "\(refused.body)")
            #expect(try await Self.transaction(server, berit, id).status == .held)
            #expect(try await Self.proposal(server, id) == nil)
            let beritId = try await Self.userId(server, berit)
            #expect(try await Self.auditRows(server, entityId: id).filter { $0.action == "transaction.release_proposal_outdated" }.map(\.actor) == [beritId])

            server.clock.advance(60)
            #expect(try await Self.propose(server, id, by: anders, reason: "Looked again after the dismissal.").status == 200)
            let approved = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: berit)
            #expect(approved.status == 200, "\(approved.body)")
            #expect(try await Self.transaction(server, berit, id).status == .pendingSCA)
        }
    }

    /// A dismissal and an approval at once: either the approval came first (released, the dismissal
    /// after it) or it sees the dismissal and is refused; never released over a dismissal it did not see.
    @Test func aDismissalAndAnApprovalAtOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server, key: "ke-case-race")
            let anders = try await server.bearer(Self.anders)
            let berit = try await server.bearer(LiveServer.secondOfficer)
            let alertId = try #require(try await Self.reviewed(server, id, by: anders).alerts?.first?.id)
            #expect(try await Self.propose(server, id, by: anders).status == 200)
            server.clock.advance(60)
            async let dismissal = server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Nothing to see."}"#, auth: anders)
            async let approval = server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: berit)
            let (dismissed, approved) = (try await dismissal, try await approval)
            #expect(dismissed.status == 200, "\(dismissed.body)")
            let status = try await Self.transaction(server, berit, id).status
            if approved.status == 200 {
                // Released first: its audit row comes before the dismissal's.
                let rows = try await server.services.database.withConnection { db in
                    try await db.raw("""
                        SELECT action FROM audit_log WHERE (entity_id = \(bind: id) AND action = 'transaction.aml_released')
                           OR (entity_id = \(bind: alertId) AND action = 'aml_alert.dismissed') ORDER BY seq
                        """).all().map { try $0.decode(column: "action", as: String.self) }
                }
                #expect(rows == ["transaction.aml_released", "aml_alert.dismissed"], "\(rows)")
                #expect(status == .pendingSCA)
            } else {
                #expect(approved.status == 409 && approved.errorCode == "RELEASE_CASE_MOVED", "\(approved.body)")
                #expect(status == .held)
            }
        }
    }

    /// An officer who erases their account leaves no release waiting on their word, as one revoked:
    /// before, Berit's proposal stayed approvable for a day after she was gone.
    @Test func anErasedOfficersProposalCanNotBeApproved() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server, key: "ke-erased-officer")
            let berit = try await server.bearer(LiveServer.secondOfficer)
            let beritId = try await Self.userId(server, berit)
            #expect(try await Self.propose(server, id, by: berit).status == 200)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [berit]).status == 202)
            #expect(try await Self.proposal(server, id) == nil)
            let erasedRow = try await server.services.database.withConnection { db in
                try await db.raw("SELECT data FROM audit_log WHERE entity_id = \(bind: beritId) AND action = 'user.erased'").first()?
                    .decode(column: "data", as: String?.self)
            }
            #expect(erasedRow?.contains(#""releaseProposalsWithdrawn":1"#) == true, "\(String(describing: erasedRow))")
            let anders = try await server.bearer(Self.anders)
            let approved = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: anders)
            #expect(approved.status == 409 && approved.errorCode == "RELEASE_NOT_PROPOSED", "\(approved.body)")
            #expect(try await Self.transaction(server, anders, id).status == .held)
        }
    }
}
