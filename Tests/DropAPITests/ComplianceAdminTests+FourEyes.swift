import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A held transfer's release takes two officers (ADR 0032): one proposes it with a reason, another
/// approves; only then is the customer's bank asked.
extension ComplianceAdminTests {
    /// Kari's 12,000 NOK to a new payee in Kenya, held by AML.
    static func heldKenyaTransfer(_ server: LiveServer, key: String = "ke-four-eyes") async throws -> (id: String, kari: TransfersTests.Sender) {
        let kari = try await TransfersTests.sender(server)
        let recipient = try await server.call(.POST, "/v1/recipients", Self.kenya, auth: kari.auth)
        let sent = try await Self.send(server, kari, recipient: try recipient.decode(Recipient.self).id, amountMinor: 1_200_000, key: key)
        let created = try sent.decode(TransactionCreated.self).transaction
        #expect(created.status == .held, "\(sent.body)")
        return (created.id, kari)
    }

    static func proposal(_ server: LiveServer, _ id: String) async throws -> ReleaseProposal? {
        try await server.services.database.withConnection { try await ReleaseProposalRepository.find(transactionId: id, on: $0) }
    }

    static func userId(_ server: LiveServer, _ auth: (String, String)) async throws -> String {
        try await server.get("/v1/auth/me", headers: [auth]).decode(User.self).id
    }

    static func propose(_ server: LiveServer, _ id: String, by officer: (String, String), reason: String = "Family support, documented.") async throws -> LiveServer.Reply {
        try await server.call(.POST, "/v1/admin/transactions/\(id)/release-proposal", #"{"reason":"\#(reason)"}"#, auth: officer)
    }

    /// Before, one officer (or one stolen session) released a held payment alone. Now Anders can only
    /// propose; his approval, from this session or another, is refused and audited; Berit approves, and
    /// the audit row names both.
    @Test func oneOfficerCanNotReleaseAHeldTransferAlone() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server)
            let anders = try await server.bearer(Self.anders)
            let release = "/v1/admin/transactions/\(id)/release"

            let unproposed = try await server.call(.POST, release, #"{"reason":"Documented."}"#, auth: anders)
            #expect(unproposed.status == 409 && unproposed.errorCode == "RELEASE_NOT_PROPOSED", "\(unproposed.body)")
            let noReason = try await server.call(.POST, "/v1/admin/transactions/\(id)/release-proposal", #"{}"#, auth: anders)
            #expect(noReason.status == 422 || noReason.status == 400, "\(noReason.body)")
            let proposed = try await Self.propose(server, id, by: anders)
            #expect(proposed.status == 200 && proposed.body.contains(#""releaseProposal""#), "\(proposed.body)")

            let alone = try await server.call(.POST, release, #"{"reason":"Documented."}"#, auth: anders)
            #expect(alone.status == 403 && alone.errorCode == "SECOND_OFFICER_REQUIRED", "\(alone.body)")
            let otherSession = try await server.bearer(Self.anders)
            #expect(try await server.call(.POST, release, nil, auth: otherSession).errorCode == "SECOND_OFFICER_REQUIRED")
            #expect(try await Self.transaction(server, anders, id).status == .held)
            let andersId = try await Self.userId(server, anders)
            #expect(try await Self.auditRows(server, entityId: id).filter { $0.action == "officer.own_proposal_refused" }.map(\.actor) == [andersId, andersId])

            let berit = try await server.bearer(LiveServer.secondOfficer)
            let twice = try await Self.propose(server, id, by: berit)
            #expect(twice.status == 409 && twice.errorCode == "RELEASE_ALREADY_PROPOSED", "\(twice.body)")
            let approved = try await server.call(.POST, release, nil, auth: berit)
            #expect(approved.status == 200, "\(approved.body)")
            #expect(try await Self.transaction(server, anders, id).status == .pendingSCA)
            #expect(try await Self.proposal(server, id) == nil)
            let beritId = try await Self.userId(server, berit)
            let released = try await server.services.database.withConnection { db in
                try await db.raw("SELECT actor_id, data FROM audit_log WHERE entity_id = \(bind: id) AND action = 'transaction.aml_released'").all()
                    .map { (try $0.decode(column: "actor_id", as: String?.self), try $0.decode(column: "data", as: String?.self) ?? "") }
            }
            #expect(released.count == 1 && released.first?.0 == beritId && released.first?.1.contains(andersId) == true, "\(released)")
            // The proposer's reason stands as the review's when the approver adds none.
            let review = try await server.get("/v1/admin/transactions/\(id)", headers: [anders]).body
            #expect(review.contains("Family support, documented."))
        }
    }

    /// Two officers pressing approve at once: one release, one request to the bank; the other is told 409.
    @Test func twoApprovalsAtOnceReleaseOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, kari) = try await Self.heldKenyaTransfer(server)
            let anders = try await server.bearer(Self.anders)
            #expect(try await Self.propose(server, id, by: anders).status == 200)
            let berit = try await server.bearer(LiveServer.secondOfficer)
            // Ola is made a third officer from the operator's shell.
            let ola = try await server.bearer("01078510133")
            _ = try await server.services.adminRoles.setAdmin(nationalId: "01078510133", granted: true, operatorName: "ops")
            async let first = server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: berit)
            async let second = server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: ola)
            let statuses = [try await first.status, try await second.status].sorted()
            #expect(statuses == [200, 409], "\(statuses)")
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notifications.filter { $0.data?["scaRedirect"] != nil }.count == 1)
            #expect(try await Self.auditRows(server, entityId: id).filter { $0.action == "transaction.aml_released" }.count == 1)
        }
    }

    /// A proposal is approved on what its officer saw that day; a day on, it has lapsed and is proposed again.
    /// A proposal on a transfer another officer rejected meanwhile, or one refused, releases nothing.
    @Test func aLapsedRefusedOrRejectedProposalReleasesNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server)
            let anders = try await server.bearer(Self.anders)
            #expect(try await Self.propose(server, id, by: anders).status == 200)
            server.clock.advance(ReleaseProposal.lapsesAfter + 1)
            let berit = try await server.bearer(LiveServer.secondOfficer)
            let anders2 = try await server.bearer(Self.anders)
            let lapsed = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: berit)
            #expect(lapsed.status == 409 && lapsed.errorCode == "RELEASE_PROPOSAL_LAPSED", "\(lapsed.body)")
            // Berit proposes it afresh in the lapsed one's place; Anders refuses it.
            #expect(try await Self.propose(server, id, by: berit, reason: "Looked again.").status == 200)
            #expect(try await Self.proposal(server, id)?.proposedBy == (try await Self.userId(server, berit)))
            let refused = try await server.call(.DELETE, "/v1/admin/transactions/\(id)/release-proposal", nil, auth: anders2)
            #expect(refused.status == 200, "\(refused.body)")
            #expect(try await Self.auditRows(server, entityId: id).contains { $0.action == "transaction.release_refused" })
            let gone = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: anders2)
            #expect(gone.status == 409 && gone.errorCode == "RELEASE_NOT_PROPOSED")

            // Proposed again, then rejected by another officer: the proposal ends with the transfer.
            #expect(try await Self.propose(server, id, by: berit).status == 200)
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(id)/reject", #"{"reason":"Purpose not confirmed."}"#, auth: anders2).status == 200)
            #expect(try await Self.proposal(server, id) == nil)
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: anders2).status == 409)
            #expect(try await Self.transaction(server, anders2, id).status == .failed)
        }
    }

    /// An officer whose admin role is taken back leaves no release waiting on their word.
    @Test func aRevokedOfficersProposalCanNotBeApproved() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _) = try await Self.heldKenyaTransfer(server)
            let berit = try await server.bearer(LiveServer.secondOfficer)
            #expect(try await Self.propose(server, id, by: berit).status == 200)
            _ = try await server.services.adminRoles.setAdmin(nationalId: LiveServer.secondOfficer, granted: false, operatorName: "ops")
            #expect(try await Self.proposal(server, id) == nil)
            let anders = try await server.bearer(Self.anders)
            let approved = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: anders)
            #expect(approved.status == 409 && approved.errorCode == "RELEASE_NOT_PROPOSED", "\(approved.body)")
            #expect(try await Self.transaction(server, anders, id).status == .held)
        }
    }
}
