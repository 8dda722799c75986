import DropCore
import DropKit
import DropStore
import Foundation
import Testing
@testable import DropAPI

/// Hvitvaskingsloven § 30 keeps who an erased customer was as long as their AML records: compliance
/// still names them (a report drafted after the erasure), nobody else reads it (ADR 0027).
extension PrivacyTests {
    @Test func aReportDraftedAfterErasureNamesThePersonAndNothingCustomerFacingDoes() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            // Per Politiker's first transfer raises a PEP alert; he shares it with the receiver, cancels it and erases his account.
            let sender = try await ComplianceAdminTests.perReadyToSend(server)
            let per = sender.auth
            let transferId = try await ComplianceAdminTests.send(server, sender, amountMinor: 50_000, key: "pep-named")
                .decode(TransactionCreated.self).transaction.id
            let token = try TrackingLinksTests.token(try await server.request(.POST, "/v1/transactions/\(transferId)/tracking-link", headers: [per]))
            #expect(try await TrackingLinksTests.track(server, token).decode(TrackedTransfer.self).payer == "Per")
            #expect(try await server.request(.POST, "/v1/transactions/\(transferId)/cancel", headers: [per]).status == 200)
            let perId = try await server.userId(per)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [per]).status == 202)

            // Nothing a customer or a receiver reads names him: the link is gone, and the reads of his
            // transfer that don't ask whether he was erased get no name.
            #expect(try await TrackingLinksTests.track(server, token).status == 404)
            #expect(try await server.get("/t/\(token)").status == 404)
            let tracked = try await server.services.database.withConnection { try await TrackingLinkRepository.transfer(transactionId: transferId, on: $0) }
            #expect(tracked != nil && tracked?.payerName == nil && tracked?.payerGivenName == nil)
            let receipt = try await server.services.database.withConnection { try await ReceiptFacts.find(transactionId: transferId, userId: perId, on: $0) }
            #expect(receipt != nil && receipt?.payerName == nil)

            // Compliance escalates the alert: the report names him, with his birth date, but no phone (erasure blanked it).
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alertId = try #require(try await ComplianceAdminTests.alerts(server, admin, "userId=\(perId)").first?.id)
            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin)
            #expect(escalated.status == 201, "\(escalated.body)")
            let reportId = try escalated.decode(ComplianceAPI.Escalated.self).strReportId
            let xml = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [admin]).body
            #expect(xml.contains("<first_name>Per</first_name>") && xml.contains("<last_name>Politiker</last_name>"), "\(xml)")
            #expect(xml.contains("<birthdate>1961-11-11T00:00:00</birthdate>"))
            #expect(!xml.contains("+47"))

            // Filed (a draft would hold the purge back), and once the records are purged, so is he.
            let completed = try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"action":"Relationship ended."}"#, auth: admin)
            #expect(completed.status == 200, "\(completed.body)")
            #expect(try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", nil, auth: admin).status == 200)
            server.clock.advance(TimeInterval(6 * 366 * 86_400))
            #expect(try await server.services.retentionPurge.run() == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: perId)") == 0)
        }
    }

    /// Hvitvaskingsloven § 30 keeps a report five years from when it was made: one drafted and filed about Per a
    /// month before his erasure's five years run out keeps his records (and who he was) five years from the
    /// filing, not until his erasure's date.
    @Test func aReportMadeAfterErasureIsKeptFiveYearsFromWhenItWasMade() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let sender = try await ComplianceAdminTests.perReadyToSend(server)
            let transferId = try await ComplianceAdminTests.send(server, sender, amountMinor: 50_000, key: "pep-reported-late")
                .decode(TransactionCreated.self).transaction.id
            #expect(try await server.request(.POST, "/v1/transactions/\(transferId)/cancel", headers: [sender.auth]).status == 200)
            let perId = try await server.userId(sender.auth)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alertId = try #require(try await ComplianceAdminTests.alerts(server, admin, "userId=\(perId)").first?.id)
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Known PEP."}"#, auth: admin).status == 200)
            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [sender.auth])
            let firstRetention = try erased.decode(ErasureReceipt.self).retainedUntil

            // Four years and eleven months on, compliance learns more and reports him.
            server.clock.advance(TimeInterval((4 * 365 + 335) * 86_400))
            let officer = try await server.bearer(ComplianceAdminTests.anders)
            let drafted = try await server.call(.POST, "/v1/admin/str-reports", #"""
                {"userId":"\#(perId)","transactionIds":["\#(transferId)"],"reason":"Funds traced to a bribery case.","action":"None: relationship ended."}
                """#, auth: officer)
            #expect(drafted.status == 201, "\(drafted.body)")
            let reportId = try drafted.decode(ComplianceAPI.Report.self).id
            #expect(try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", #"{"fiuReference":"EFE-2031-0007"}"#, auth: officer).status == 200)
            let filedAt = server.clock.date

            // Past the erasure's date: the report, his transfer and who he was are all still there.
            server.clock.advance(firstRetention.timeIntervalSince(server.clock.date) + 86_400)
            #expect(try await server.services.retentionPurge.run() == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM str_reports WHERE id = \(bind: reportId)") == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM transactions WHERE id = \(bind: transferId)") == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: perId) AND name IS NOT NULL") == 1)
            let xml = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [try await server.bearer(ComplianceAdminTests.anders)])
            #expect(xml.body.contains("<last_name>Politiker</last_name>"))

            // Five years after the filing, the purge takes it all.
            server.clock.advance(RecordRetention.keptUntil(madeAt: filedAt).timeIntervalSince(server.clock.date) + 1)
            #expect(try await server.services.retentionPurge.run() == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM str_reports WHERE id = \(bind: reportId)") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: perId)") == 0)
        }
    }

    /// An investigation doesn't vanish half way: an alert still open (or a report still a draft) about an erased
    /// customer holds their purge back, looked at again in 30 days; dismissed, the records stay five years from then.
    @Test func anOpenAlertHoldsThePurgeBackUntilItIsClosed() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let sender = try await ComplianceAdminTests.perReadyToSend(server)
            let transferId = try await ComplianceAdminTests.send(server, sender, amountMinor: 50_000, key: "pep-open")
                .decode(TransactionCreated.self).transaction.id
            #expect(try await server.request(.POST, "/v1/transactions/\(transferId)/cancel", headers: [sender.auth]).status == 200)
            let perId = try await server.userId(sender.auth)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [sender.auth]).status == 202)

            server.clock.advance(TimeInterval(6 * 366 * 86_400))
            #expect(try await server.services.retentionPurge.run() == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM aml_alerts WHERE user_id = \(bind: perId) AND status = 'open'") == 1)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: perId).map(\.action).last == "user.purge_postponed")
            // Not at every run: in 30 days.
            #expect(try await server.services.retentionPurge.run() == 0)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: perId).filter { $0.action == "user.purge_postponed" }.count == 1)

            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alertId = try #require(try await ComplianceAdminTests.alerts(server, admin, "userId=\(perId)").first?.id)
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Known PEP."}"#, auth: admin).status == 200)
            server.clock.advance(TimeInterval(31 * 86_400))
            #expect(try await server.services.retentionPurge.run() == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM aml_alerts WHERE id = \(bind: alertId)") == 1)
            server.clock.advance(TimeInterval(5 * 366 * 86_400))
            #expect(try await server.services.retentionPurge.run() == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: perId)") == 0)
        }
    }

    /// An officer's decisions on other customers' records name them: erasing their own account keeps
    /// who they were, and the purge keeps their row, blanked of everything, while those records point at
    /// it, then deletes it. Before, deleting the row failed on the reference and stopped the purge for
    /// every customer after them.
    @Test func anOfficerWhoErasesTheirAccountNeitherBreaksTheirDecisionsNorStopsThePurge() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let sender = try await ComplianceAdminTests.perReadyToSend(server)
            let transferId = try await ComplianceAdminTests.send(server, sender, amountMinor: 50_000, key: "pep-decided")
                .decode(TransactionCreated.self).transaction.id
            #expect(try await server.request(.POST, "/v1/transactions/\(transferId)/cancel", headers: [sender.auth]).status == 200)
            let perId = try await server.userId(sender.auth)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let andersId = try await server.userId(admin)
            let andersHash = try await server.services.database.withConnection {
                try await $0.raw("SELECT pid_hash FROM users WHERE id = \(bind: andersId)").first()!.decode(column: "pid_hash", as: String.self)
            }
            let alertId = try #require(try await ComplianceAdminTests.alerts(server, admin, "userId=\(perId)").first?.id)
            let dismissed = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Known PEP, family support."}"#, auth: admin)
            #expect(dismissed.status == 200, "\(dismissed.body)")

            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [admin])
            #expect(erased.status == 202)
            #expect(try erased.decode(ErasureReceipt.self).retained.contains("officerDecisions"))
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: andersId) AND name IS NOT NULL") == 1)
            // Someone who never passed KYC erases theirs too: nothing kept, purged at the next run.
            let other = try await server.bearer("01078510133")
            let otherId = try await server.userId(other)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [other]).status == 202)

            server.clock.advance(TimeInterval(6 * 366 * 86_400))
            #expect(try await server.services.retentionPurge.run() == 2)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: otherId)") == 0)
            // Anders' row stays for the alert that names him, blanked of all he was (nothing a later account
            // of his could inherit), and is looked at again in 30 days, not at every run.
            #expect(try await Self.count(server, """
                SELECT COUNT(*) AS n FROM users WHERE id = \(bind: andersId) AND name IS NULL AND pid_encrypted IS NULL AND kyc_status = 'none'
                  AND is_pep = \(bind: false) AND is_sanctioned = \(bind: false) AND retain_until > \(bind: server.clock.date)
                """) == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM aml_alerts WHERE id = \(bind: alertId) AND resolved_by = \(bind: andersId)") == 1)
            // Nor does anything on it say who he was: no row answers to his national identity number, and
            // when he signs in again he is a new customer linked to nothing.
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE pid_hash = \(bind: andersHash)") == 0)
            let back = try await server.userId(try await server.bearer(ComplianceAdminTests.anders))
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE pid_hash = \(bind: andersHash) AND id = \(bind: back)") == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE pid_hash = \(bind: andersHash)") == 1)
            #expect(try await server.services.retentionPurge.run() == 0)

            // Per's own records go when his retention ends (he erases now); after that nothing points at
            // Anders' row, and its next look deletes it.
            let per = try await server.bearer(ComplianceAdminTests.per)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [per]).status == 202)
            server.clock.advance(TimeInterval(6 * 366 * 86_400))
            _ = try await server.services.retentionPurge.run()
            server.clock.advance(TimeInterval(31 * 86_400))
            _ = try await server.services.retentionPurge.run()
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id IN (\(bind: perId), \(bind: andersId))") == 0)
        }
    }

    /// A customer the purge can't delete (a row it doesn't know points at them) raises an alert, and the
    /// customers after them are purged all the same.
    @Test func aCustomerThePurgeCannotDeleteRaisesAnAlertAndTheOthersGoOn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let first = try await server.bearer("01078510133")
            let firstId = try await server.userId(first)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [first]).status == 202)
            server.clock.advance(60)
            let second = try await server.bearer(ComplianceAdminTests.anders)
            let secondId = try await server.userId(second)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [second]).status == 202)
            // A table a later migration might add, whose rows point at the first customer.
            try await server.services.database.withConnection { db in
                try await db.raw("CREATE TABLE purge_blocker (user_id TEXT NOT NULL REFERENCES users (id))").run()
                try await db.raw("INSERT INTO purge_blocker (user_id) VALUES (\(bind: firstId))").run()
            }
            #expect(try await server.services.retentionPurge.run() == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: secondId)") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: firstId)") == 1)
            #expect(try await Self.count(server, """
                SELECT COUNT(*) AS n FROM operations_alerts WHERE kind = 'retention_purge_failed' AND entity_id = \(bind: firstId) AND resolved_at IS NULL
                """) == 1)
            // Tried again next run, alerted once.
            #expect(try await server.services.retentionPurge.run() == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM operations_alerts WHERE kind = 'retention_purge_failed'") == 1)
        }
    }
}
