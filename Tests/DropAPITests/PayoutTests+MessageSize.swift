import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// Partners cap a pain.001's size (the payout sandbox answers 413 above its cap). A busy day in one
/// currency must go out in messages the partner takes, and a message it found too large must not be
/// resent as it is every run while its customers' NOK waits at the partner.
extension PayoutTests {
    /// Kari's five transfers, paid at her bank and waiting for the partner.
    static func busyDay(_ server: LiveServer) async throws -> [String] {
        let kari = try await TransfersTests.sender(server)
        var ids: [String] = []
        for n in 0..<5 {
            ids.append(try await CustomerStandingLostTests.paid(server, kari, as: TransfersTests.kari, amountMinor: 50_000 + Int64(n) * 1_000, key: "busy-\(n)"))
        }
        return ids
    }

    /// Each transfer's status, and how many times the partner was asked to pay it.
    static func paidOnce(_ server: LiveServer, _ ids: [String]) async throws {
        let accepted = try await #require(server.sandboxes.payout).acceptedEndToEndIds()
        for id in ids {
            #expect(try await CustomerStandingLostTests.column(server, "status", of: id, as: String.self) == "completed")
            let endToEnd = try #require(try await CustomerStandingLostTests.column(server, "end_to_end_id", of: id, as: String.self))
            #expect(accepted.contains(endToEnd))
        }
        // Every transfer in exactly one message the partner has.
        let members = try await server.services.database.withConnection { db in
            try await db.raw("SELECT p.status AS status, COUNT(*) AS n FROM transactions t JOIN payouts p ON p.id = t.payout_id GROUP BY p.status").all()
                .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        }
        #expect(members.map(\.0) == ["completed"] && members.map(\.1) == [ids.count])
    }

    /// Drop's cap under the partner's: the day goes in several messages, each under both caps, each
    /// taken, every transfer paid once.
    @Test func aBusyDayGoesOutInSeveralMessagesThePartnerTakes() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon),
                                 environment: ["PAYOUT_MAX_MESSAGE_BYTES": "3500", "SANDBOX_PAYOUT_MAX_MESSAGE_BYTES": "4000"]) { server in
            let ids = try await Self.busyDay(server)
            #expect(try await server.services.payouts().submitDue() > 1)
            let messages = try await Self.messages(server)
            #expect(messages.count > 1, "\(messages.map(\.pain001.utf8.count))")
            #expect(messages.allSatisfy { $0.status == "submitted" && $0.pain001.utf8.count <= 3500 })
            server.clock.advance(31)
            _ = try await server.services.payouts().pollReports()
            try await Self.paidOnce(server, ids)
        }
    }

    /// A message larger than the partner takes (Drop's cap set above the partner's, or written by an
    /// older release with none): refused 413. It used to be put back and sent again as it was, every run,
    /// never paid nor failed. Now it is withdrawn, its transfers go in smaller messages the partner takes,
    /// operations are told to lower the cap, and every transfer is paid once.
    @Test func aMessageThePartnerFindsTooLargeIsWithdrawnAndItsTransfersGoInSmallerOnes() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon),
                                 environment: ["PAYOUT_MAX_MESSAGE_BYTES": "1000000", "SANDBOX_PAYOUT_MAX_MESSAGE_BYTES": "4000"]) { server in
            let ids = try await Self.busyDay(server)
            _ = try await server.services.payouts().submitDue()
            let messages = try await Self.messages(server)
            // Written at one instant: told apart by status, not order.
            let withdrawnMessages = messages.filter { $0.status == "withdrawn" }
            let smaller = messages.filter { $0.status != "withdrawn" }
            #expect(withdrawnMessages.count == 1 && withdrawnMessages.allSatisfy { $0.pain001.utf8.count > 4000 })
            #expect(smaller.count > 1 && smaller.allSatisfy { $0.status == "submitted" && $0.pain001.utf8.count <= 4000 }, "\(messages.map { ($0.status, $0.pain001.utf8.count) })")
            let alerts = try await server.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }
            #expect(alerts.filter { $0.kind == .payoutPartnerRefused }.count == 1)
            let withdrawn = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'payout.withdrawn'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(withdrawn == 1)
            server.clock.advance(31)
            _ = try await server.services.payouts().submitDue()
            _ = try await server.services.payouts().pollReports()
            #expect(try await Self.messages(server).count == messages.count)
            try await Self.paidOnce(server, ids)
        }
    }
}
