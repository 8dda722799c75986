import DropCore
import DropKit
import Foundation
import Testing
@testable import DropAPI

/// AML's "large first transfer to a new recipient" weighs a standing transfer's payment as it weighs a
/// remittance: an old recipient edited into someone else's account just before the order is a new payee.
extension StandingOrdersTests {
    /// Kari has had Zofia for a month; she is talked into changing Zofia's account to Mallory's, then sets up
    /// 20 000 kr a month from today and approves it. The bank's first payment is the first to a payee of
    /// minutes, as the same money sent as a remittance would be: compliance is alerted.
    @Test func anOrderToARecipientJustEditedIntoAnotherPayeeAlertsOnItsFirstPayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            try await Self.advance(server, days: 30)
            let auth = try await server.bearer(TransfersTests.kari)
            let kariNow = TransfersTests.Sender(auth: auth, accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: kari.recipientId)
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"name":"Mallory Hacker","iban":"PL27114020040000300201355387"}"#, auth: auth)
            #expect(edited.status == 200, "\(edited.body)")

            let created = try await Self.setUp(server, kariNow, key: "so-mallory", amountMinor: 2_000_000)
            let id = created.standingOrder.id
            try await Self.approve(server, created)
            try await server.eventually("the first payment") { try await Self.transfers(server, order: id).count == 1 }
            let payment = try #require(try await Self.transfers(server, order: id).first)
            let alert = try await server.services.database.withConnection { db in
                try await db.raw("SELECT rule, score FROM aml_alerts WHERE transaction_id = \(bind: payment.id)").first().map {
                    (try $0.decode(column: "rule", as: String.self), try $0.decode(column: "score", as: Int.self))
                }
            }
            #expect(alert?.0 == "new_recipient_large_amount" && alert?.1 == 40, "\(String(describing: alert))")
        }
    }
}
