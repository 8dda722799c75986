import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// Money that left the customer's account after Drop had ended its payment (cancelled, expired) still
/// counts towards their spending limits and AML screening: otherwise racing a cancel against the bank,
/// again and again, would move any amount past both (docs/money-integrity.md).
extension MoneyIntegrityTests {
    /// The bank reports the payment settled (ACSC), as a signed webhook.
    static func bankSettles(_ server: LiveServer, _ id: String, eventId: String) async throws {
        let paymentId = try #require(try await Self.row(server, id).paymentId)
        let body = #"{"eventId":"\#(eventId)","paymentId":"\#(paymentId)","transactionStatus":"ACSC"}"#
        let signature = OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: server.services.config.secrets.openBankingWebhookSecret,
                                                timestamp: server.clock.date)
        let delivered = try await server.request(.POST, "/v1/webhooks/open-banking",
                                                 headers: [("content-type", "application/json"), ("X-Drop-Signature", signature)], body: body)
        #expect(delivered.status == 200, "\(delivered.body)")
    }

    @Test func aQRPaymentSettledAfterItsCancellationCountsTowardsTheDailyLimit() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await MerchantsTests.payer(server)
            #expect(try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":500000,"currency":"NOK"}}"#, auth: kari.auth).status == 200)
            func pay(_ minor: Int64, key: String) async throws -> LiveServer.Reply {
                try await MerchantsTests.pay(server, kari.auth, key: key,
                                             #"{"merchantCode":"\#(mona.code)","amountMinor":\#(minor),"bankAccountId":"\#(kari.accountId)"}"#)
            }
            let first = try await pay(4_500_00, key: "raced")
            #expect(first.status == 201, "\(first.body)")
            let id = try first.decode(TransactionCreated.self).transaction.id
            // Kari cancels in Drop while her bank pays the shop all the same.
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth]).status == 200)
            try await Self.bankSettles(server, id, eventId: "raced-settled")
            let settled = try await Self.row(server, id)
            #expect(settled.status == .cancelled && settled.fundsReceivedAt != nil)

            // The shop has 4 500 of her 5 000 for today: 1 000 more is over the limit.
            let limits = try SpendingLimitsTests.limits(try await server.call(.GET, "/v1/spending-limits", auth: kari.auth))
            #expect(limits.used.daily.amountMinor == 4_500_00)
            let over = try await pay(1_000_00, key: "again")
            #expect(over.status == 422 && over.errorCode == "LIMIT_EXCEEDED" && over.issue("amountMinor") == "daily_limit", "\(over.body)")
            #expect(try await pay(500_00, key: "fits").status == 201)
        }
    }

    @Test func aRemittanceSettledAfterItExpiredCountsForStructuring() async throws {
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await LiveServer.run(clock: clock) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            // 9 500 NOK, just under the 10 000 line: three within 48 h are structuring.
            let first = try await ComplianceAdminTests.send(server, kari, amountMinor: 9_500_00, key: "split-1")
            let expiring = try first.decode(TransactionCreated.self).transaction.id
            server.sandboxes.faults.bank.webhooksHeld = true
            clock.advance(16 * 60)
            #expect(try await server.services.transactions.expireOverdue() == 1)
            try await Self.bankSettles(server, expiring, eventId: "split-1-settled")
            #expect(try await Self.row(server, expiring).status == .expired)
            server.sandboxes.faults.bank.webhooksHeld = false

            var later: [String] = []
            for index in 2...3 {
                let sent = try await ComplianceAdminTests.send(server, kari, amountMinor: 9_500_00, key: "split-\(index)")
                #expect(sent.status == 201, "\(sent.body)")
                later.append(try sent.decode(TransactionCreated.self).transaction.id)
                clock.advance(10 * 60)
            }
            // The expired one's money left Kari's account: the third is the third just under the line.
            let admin = try await server.bearer(Self.anders)
            let structuring = try await ComplianceAdminTests.alerts(server, admin, "rule=structuring&userId=\(kariId)")
            #expect(structuring.compactMap(\.transactionId) == [later[1]])
        }
    }
}
