import DropKit
import DropStore
import Foundation
import SQLKit
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

    /// The bank's settlement and a refusal of the same payment are applied at the same moment (a webhook
    /// and the reconciler's read; PostgreSQL, no write gate). The refusal waits for the payment's row,
    /// then sees the NOK arrived: an alert, the transfer as it was. Before, it had read "no money yet",
    /// and failed the transfer once the settlement committed ("no money has left your account") while
    /// the NOK sat at the partner with no payout and no return.
    @Test func aRefusalAppliedWhileTheSettlementIsFailsNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            server.sandboxes.faults.bank.webhooksHeld = true
            let created = try await TransfersTests.send(server, kari, key: "settled-at-once", body: Self.transferBody(kari))
            let answer = try created.decode(TransactionCreated.self)
            let id = answer.transaction.id
            _ = try await server.approveAtBank(try #require(answer.scaRedirect).absoluteString, as: TransfersTests.kari)
            let paymentId = try #require(try await Self.row(server, id).paymentId)
            let status = server.services.paymentStatus
            #expect(try await status.apply(eventId: "evt-actc", paymentId: paymentId, code: .acceptedTechnicalValidation,
                                           rawBodyHash: "actc", source: "open-banking") == .applied(.processing))
            let refusal = try await server.services.database.transaction { db -> Task<PaymentStatusService.Outcome, any Error> in
                // The settlement's write, not yet committed.
                try await TransactionRepository.markFundsReceived(id: id, at: server.clock.date, on: db)
                let refusal = Task.detached {
                    try await status.apply(eventId: "evt-rjct", paymentId: paymentId, code: .rejected, rawBodyHash: "rjct", source: "open-banking")
                }
                try await Task.sleep(for: .seconds(1))
                return refusal
            }
            #expect(try await refusal.value == .unchanged)
            let row = try await Self.row(server, id)
            #expect(row.status == .processing && row.fundsReceivedAt != nil)
            #expect(try await Self.refusedAfterSettlement(server) == [id])
        }
    }

    /// The open `refused_after_settlement` alerts, by the transaction they are about.
    static func refusedAfterSettlement(_ server: LiveServer) async throws -> [String?] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT entity_id FROM operations_alerts WHERE dedupe_key LIKE 'refused_after_settlement:%' AND resolved_at IS NULL").all()
                .map { try $0.decode(column: "entity_id", as: String?.self) }
        }
    }

    /// Mona handed over the goods on "Payment received"; then Kari's bank reports the payment
    /// refused. The payment stays completed (the money went straight to Mona's account), operations
    /// hear of it, and so does Mona: on her live list, on her dashboard and by notification.
    @Test func aRefusalAfterAQRPaymentCompletedRaisesAnAlert() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await MerchantsTests.payer(server)
            let url = try await server.get("/v1/merchants/me/qr?amountMinor=50000&reference=Bord%204", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
            let paid = try await MerchantsTests.pay(server, kari.auth, key: "qr-late", try MerchantsTests.body(paying: url, base: server.services.publicBaseURL.url,
                                                                                                            from: kari.accountId))
            #expect(paid.status == 201, "\(paid.body)")
            let created = try paid.decode(TransactionCreated.self)
            let id = created.transaction.id
            let back = try await server.approveAtBank(try #require(created.scaRedirect?.absoluteString), as: MerchantsTests.kari)
            _ = try await server.get(try #require(back.location))
            try await server.eventually("the payment completed") { try await Self.row(server, id).status == .completed }
            let stream = try await server.openEventStream(auth: mona.auth)
            defer { stream.close() }

            let paymentId = try #require(try await Self.row(server, id).paymentId)
            let outcome = try await server.services.paymentStatus.apply(eventId: "evt-qr-late", paymentId: paymentId, code: .rejected,
                                                                        rawBodyHash: "qr-late", source: "open-banking")
            #expect(outcome == .unchanged)
            #expect(try await Self.row(server, id).status == .completed)
            #expect(try await Self.refusedAfterSettlement(server) == [id])

            // Mona hears at once: the live list, the dashboard, a notification.
            let events = try await stream.collect { $0.event == "reversal_reported" }
            let reported = try #require(events.last?.payment)
            #expect(reported.transactionId == id && reported.status == .completed)
            let board = try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self)
            #expect(board.payments.first { $0.id == id }?.reversalReportedAt != nil)
            let page = try await server.get("/merchant", headers: [try await server.webSession(LiveServer.mona)]).body
            #expect(page.contains(#"class="reversal""#))
            let notices = try await server.get("/v1/notifications", headers: [mona.auth]).decode(NotificationList.self).items
                .filter { $0.kind == "merchant.payment_reversal_reported" }
            #expect(notices.count == 1 && notices.first?.data?["transactionId"] == id)

            // The bank says it again (a cancellation this time): still one alert, Mona told once.
            #expect(try await server.services.paymentStatus.apply(eventId: "evt-qr-late-2", paymentId: paymentId, code: .cancelled,
                                                                  rawBodyHash: "qr-late-2", source: "open-banking") == .unchanged)
            #expect(try await Self.refusedAfterSettlement(server) == [id])
            #expect(try await server.get("/v1/notifications", headers: [mona.auth]).decode(NotificationList.self).items
                .filter { $0.kind == "merchant.payment_reversal_reported" }.count == 1)
            let reversals = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM merchant_events WHERE transaction_id = \(bind: id) AND kind = 'reversal_reported'").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(reversals == 1)
        }
    }

    /// A remittance the partner has paid out, then refused by the sender's bank: completed stays
    /// completed (the recipient has the money), and operations hear of it.
    @Test func aRefusalAfterARemittanceCompletedRaisesAnAlert() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await PayoutTests.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 1)
            #expect(try await Self.row(server, transfer.id).status == .completed)

            let paymentId = try #require(try await Self.row(server, transfer.id).paymentId)
            let outcome = try await server.services.paymentStatus.apply(eventId: "evt-remit-late", paymentId: paymentId, code: .rejected,
                                                                        rawBodyHash: "remit-late", source: "open-banking")
            #expect(outcome == .unchanged)
            #expect(try await Self.row(server, transfer.id).status == .completed)
            #expect(try await Self.refusedAfterSettlement(server) == [transfer.id])
        }
    }
}
