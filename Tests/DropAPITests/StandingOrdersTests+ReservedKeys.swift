import DropCore
import DropProviders
import DropStore
import Foundation
import Testing
@testable import DropAPI

/// A standing order's payment is recorded under a key of Drop's own (`standing-order:<order>:<execution>`),
/// in the same per-user namespace as the keys clients send: a client's key there is refused, so it can
/// never take the key of a payment the bank has already made.
extension StandingOrderIntegrityTests {
    @Test func aClientKeyInDropsOwnNamespaceIsRefusedAndTheOrdersPaymentIsRecorded() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let order = try await Self.approvedOrder(server, kari)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            for key in ["standing-order:\(order.id):exec-taken", "qr-payment:\(UUID().uuidString)"] {
                let sent = try await TransfersTests.send(server, kari, key: key, body: body)
                #expect(sent.status == 400 && sent.body.contains("reserved"), "\(sent.body)")
            }

            let execution = OpenBankingExecution(id: "exec-taken", executionDate: OsloCalendar.today(server.clock.date), endToEndIdentification: "E2E-TAKEN",
                                                 transactionStatus: "ACSC", statusReason: nil, amount: Money(minorUnits: order.totalMinor, currency: .nok))
            #expect(try await server.services.standingOrders.applyExecution(order, execution, eventId: nil, rawBodyHash: nil) == .applied)
            let made = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status FROM transactions WHERE standing_order_id = \(bind: order.id) AND bank_execution_id = 'exec-taken'").all()
                    .map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(made == ["processing"])
        }
    }
}
