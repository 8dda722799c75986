import DropCore
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A partner can refuse the request that sends a pain.001 rather than its content (415 after a media
/// type change, 410 for a retired endpoint, 451, 404 for a moved one). Such a refusal used to be taken
/// for transport trouble: put back silently and sent again every run, the customers' NOK waiting at the
/// partner and nobody told.
extension PayoutTests {
    /// Refused 415 across several runs: operations are told once, the partner isn't asked again every
    /// run, no transfer fails or is paid twice; once the partner takes the request, each goes, once.
    @Test(arguments: [404, 410, 415, 451])
    func aSendingRequestThePartnerRefusesWaitsForOperationsAndGoesOnceFixed(status: Int) async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let ids = try await Self.busyDay(server)
            let faults = server.sandboxes.faults.payout
            faults.fault = .refusedSubmission(status: status)
            let refusals = {
                try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }.filter { $0.kind == .payoutPartnerRefused }
            }

            #expect(try await server.services.payouts().submitDue() == 1)
            let asked = faults.requestCount
            for _ in 0..<3 {
                server.clock.advance(31)
                _ = try await server.services.payouts().submitDue()
                _ = try await server.services.payouts().pollReports()
            }
            #expect(faults.requestCount == asked)  // not sent again every run
            let alerts = try await refusals()
            #expect(alerts.count == 1 && alerts.first?.details.contains(#""httpStatus":\#(status)"#) == true, "\(alerts.map(\.details))")
            for id in ids {
                #expect(try await CustomerStandingLostTests.column(server, "status", of: id, as: String.self) == "processing")
                #expect(try await Self.returnColumns(server, id).requestedAt == nil)
            }

            // Still refused when its wait ends: asked about, rebuilt, refused again; told once all along.
            server.clock.advance(PayoutService.refusedRequestRecheck + 1)
            _ = try await server.services.payouts().submitDue()
            #expect(try await refusals().count == 1)
            #expect(try await Self.messages(server).filter { $0.status == "submitted" }.isEmpty)

            faults.fault = nil
            server.clock.advance(PayoutService.refusedRequestRecheck + 1)
            _ = try await server.services.payouts().submitDue()
            server.clock.advance(31)
            _ = try await server.services.payouts().pollReports()
            try await Self.paidOnce(server, ids)
        }
    }
}
