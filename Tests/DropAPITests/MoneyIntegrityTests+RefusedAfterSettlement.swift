import DropKit
import DropStore
import Foundation
import Testing
@testable import DropAPI

extension MoneyIntegrityTests {
    /// The bank reports a payment settled, then refused: the NOK reached the partner, so the transfer is
    /// not failed (and the customer not told no money left); operations hear of the contradiction.
    @Test func aRefusalAfterTheBankSettledFailsNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "settled", body: Self.transferBody(kari))
            let answer = try created.decode(TransactionCreated.self)
            _ = try await server.approveAtBank(try #require(answer.scaRedirect).absoluteString, as: TransfersTests.kari)
            try await server.eventually("the bank's settlement") {
                let row = try await Self.row(server, answer.transaction.id)
                return row.status == .processing && row.fundsReceivedAt != nil
            }
            let paymentId = try #require(try await Self.row(server, answer.transaction.id).paymentId)
            let outcome = try await server.services.paymentStatus.apply(eventId: "evt-refused-late", paymentId: paymentId, code: .rejected,
                                                                        rawBodyHash: "refused-late", source: "open-banking")
            #expect(outcome == .unchanged)
            #expect(try await Self.row(server, answer.transaction.id).status == .processing)
            let alerts = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            #expect(alerts.count == 1)
        }
    }
}
