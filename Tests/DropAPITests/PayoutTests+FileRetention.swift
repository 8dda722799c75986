import DropCore
import DropKit
import DropStore
import DropTestTools
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A payout message's pain.001 and pain.002 name every receiver, their address, account and amount: each
/// download is audited (`payout.exported`), and five years after the message was done with the retention
/// purge blanks them, keeping the message's ids, status, count and sum.
extension PayoutTests {
    static func payout(_ server: LiveServer, currency: String) async throws -> (id: String, messageId: String, pain001: String, pain002: String?) {
        try await server.services.database.withConnection { db in
            let row = try #require(try await db.raw("SELECT id, message_id, pain001, pain002 FROM payouts WHERE currency = \(bind: currency)").first())
            return (try row.decode(column: "id", as: String.self), try row.decode(column: "message_id", as: String.self),
                    try row.decode(column: "pain001", as: String.self), try row.decode(column: "pain002", as: String?.self))
        }
    }

    @Test func eachDownloadOfAPayoutFileIsAudited() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            _ = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            #expect(try await server.services.payouts().submitDue() == 1)
            let payout = try await Self.payout(server, currency: "EUR")
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let xml = try await server.get("/v1/admin/payouts/\(payout.id)/pain001.xml", headers: [admin])
            #expect(xml.status == 200 && xml.body.contains("DE89370400440532013000"))
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: payout.id).filter { $0.action == "payout.exported" }.map(\.actor)
                    == [try await server.userId(admin)])
            // `drop payout-export`, by message id: the system's act, with the operator's login name.
            #expect(try await server.services.payoutFiles.pain001(idOrMessageId: payout.messageId, operatorName: "ops") == payout.pain001)
            let exported = try await server.services.database.withConnection { db in
                try await db.raw("SELECT actor_type, data FROM audit_log WHERE action = 'payout.exported' AND entity_id = \(bind: payout.id) ORDER BY seq").all()
                    .map { (try $0.decode(column: "actor_type", as: String.self), try $0.decode(column: "data", as: String.self)) }
            }
            #expect(exported.map(\.0) == ["admin", "system"] && exported[1].1.contains(#""operator":"ops""#))
            // Not without a name for the operator; written readable by its owner only, over an older file too.
            await #expect(throws: AppError.self) {
                try await server.services.payoutFiles.pain001(idOrMessageId: payout.messageId, operatorName: "operator")
            }
            let file = TestScratch.path("pain001")
            #expect(FileManager.default.createFile(atPath: file, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
            try PayoutFileService.save(payout.pain001, toFile: file)
            #expect(try String(contentsOfFile: file, encoding: .utf8) == payout.pain001)
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
            #expect(try await server.get("/v1/admin/payouts/\(UUID().uuidString)/pain001.xml", headers: [admin]).status == 404)
        }
    }

    /// The euro message is done with (the partner's last answer) at once; the rupee one, sent the same day, only
    /// just under five years later. Counted from when each was done with, only the euro one's files are blanked.
    @Test func aPayoutsFilesAreBlankedFiveYearsAfterItWasDoneWith() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            _ = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 1)
            let done = server.clock.date
            _ = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 100_000)
            #expect(try await payouts.submitDue() == 1)
            let euro = try await Self.payout(server, currency: "EUR")
            #expect(!euro.pain001.isEmpty && euro.pain002 != nil)

            server.clock.advance(RecordRetention.keptUntil(madeAt: done).timeIntervalSince(server.clock.date) - 2 * 86_400)
            #expect(try await payouts.pollReports() == 1)
            #expect(try await server.services.retentionPurge.blankPayoutFiles() == 0)
            server.clock.advance(2 * 86_400)
            #expect(try await server.services.retentionPurge.blankPayoutFiles() == 1)
            #expect(try await server.services.retentionPurge.blankPayoutFiles() == 0)

            let blanked = try await Self.payout(server, currency: "EUR")
            #expect(blanked.id == euro.id && blanked.messageId == euro.messageId && blanked.pain001.isEmpty && blanked.pain002 == nil)
            let rupee = try await Self.payout(server, currency: "PKR")
            #expect(rupee.pain001.contains("SCBLPKKX") && rupee.pain002 != nil)
            let kept = try await server.services.database.withConnection { db in
                try #require(try await db.raw("SELECT status, transaction_count, control_sum_minor FROM payouts WHERE id = \(bind: euro.id)").first())
            }
            #expect(try kept.decode(column: "status", as: String.self) == "completed" && kept.decode(column: "transaction_count", as: Int.self) == 1)
            #expect(try kept.decode(column: "control_sum_minor", as: Int64.self) > 0)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: euro.id).map(\.action).last == "payout.files_deleted")

            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let gone = try await server.get("/v1/admin/payouts/\(euro.id)/pain001.xml", headers: [admin])
            #expect(gone.status == 410 && gone.errorCode == "PAYOUT_FILE_DELETED", "\(gone.body)")
            #expect(try await server.get("/v1/admin/payouts/\(rupee.id)/pain001.xml", headers: [admin]).status == 200)
        }
    }
}
