import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A customer found sanctioned (or rejected for good) after their payments got under way: nothing
/// more of theirs is paid. Their standing transfers stop, compliance gets an alert, a payment waiting
/// for their approval is cancelled at the bank, and one whose NOK arrived is held before its payout.
@Suite(.serialized) struct CustomerStandingLostTests {
    static func send(_ server: LiveServer, _ kari: TransfersTests.Sender, amountMinor: Int64, key: String) async throws -> TransactionCreated {
        let sent = try await TransfersTests.send(server, kari, key: key,
                                                 body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":\#(amountMinor),"bankAccountId":"\#(kari.accountId)"}"#)
        #expect(sent.status == 201, "\(sent.body)")
        return try sent.decode(TransactionCreated.self)
    }

    /// One nullable column of a transaction (nil for NULL).
    static func column<T: Decodable>(_ server: LiveServer, _ name: String, of id: String, as type: T.Type) async throws -> T? {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT \(unsafeRaw: name) AS value FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "value", as: T?.self) ?? nil
        }
    }

    /// A sanctions hit on a customer whose identity check is approved (ongoing screening, or kept from
    /// an erased account): `UPDATE`d directly, as no webhook stops anything.
    static func sanction(_ server: LiveServer, _ kari: TransfersTests.Sender) async throws {
        let kariId = try await server.userId(kari.auth)
        try await server.services.database.withConnection { db in
            try await db.raw("UPDATE users SET is_sanctioned = TRUE WHERE id = \(bind: kariId)").run()
        }
    }

    @Test func aSanctionedCustomerSetsUpNoStandingTransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            try await Self.sanction(server, kari)
            let today = OsloCalendar.today(server.clock.date).iso
            let refused = try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "so")],
                                                   body: #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"\#(today)"}"#)
            // Refused as her remittance is, without saying why; no order, nothing at her bank.
            #expect(refused.status == 403 && refused.errorCode == "FORBIDDEN", "\(refused.body)")
            #expect(!refused.body.lowercased().contains("sanction") && !refused.body.lowercased().contains("compliance"))
            let orders = try await server.services.database.withConnection { try await StandingOrderRepository.all(userId: kariId, on: $0) }
            #expect(orders.isEmpty)
            #expect(await server.sandboxes.bank?.periodicPayments().isEmpty == true)
            // Compliance sees the attempt.
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alerts = try await ComplianceAdminTests.alerts(server, admin, "status=open").filter { $0.userId == kariId }
            #expect(alerts.count == 1 && alerts.first?.rule == .sanctions && alerts.first?.decision == .block && alerts.first?.transactionId == nil)
        }
    }

    @Test func aStandingTransferWaitingForApprovalStopsWhenItsOwnerLosesStanding() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            // Set up just before the hit was recorded: still waiting for her approval.
            let created = try await StandingOrdersTests.setUp(server, kari)
            #expect(try await server.services.standingOrders.withdrawWithoutStanding() == 0)
            try await Self.sanction(server, kari)
            #expect(try await server.services.standingOrders.withdrawWithoutStanding() == 1)
            let stored = try #require(try await server.services.database.withConnection {
                try await StandingOrderRepository.find(id: created.standingOrder.id, on: $0)
            })
            #expect(stored.status == .stopped && stored.stopReason == "compliance" && stored.bankCancelledAt != nil)
            // Her bank holds no order she could still approve.
            #expect(await server.sandboxes.bank?.periodicPayments().map(\.status) == ["CANC"])
            #expect(try await server.services.standingOrders.withdrawWithoutStanding() == 0)
        }
    }

    @Test func aSanctionsHitStopsEverythingUnderWayAndTellsCompliance() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            // A monthly order from tomorrow, approved at the bank.
            let tomorrow = OsloCalendar.today(server.clock.date.addingTimeInterval(86_400)).iso
            let order = try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "so")],
                                                 body: #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"\#(tomorrow)"}"#)
            let started = try order.decode(DropKit.StandingOrderStarted.self)
            try await StandingOrdersTests.approve(server, started)
            // One transfer waiting for her approval, one approved whose NOK has arrived.
            let waiting = try await Self.send(server, kari, amountMinor: 50_000, key: "waiting")
            let approved = try await Self.send(server, kari, amountMinor: 60_000, key: "approved")
            let back = try await server.approveAtBank(try #require(approved.scaRedirect?.absoluteString), as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            try await server.eventually("the NOK arrived") {
                try await Self.column(server, "funds_received_at", of: approved.transaction.id, as: Date.self) != nil
            }

            // Sumsub's ongoing monitoring: Kari is a sanctions hit, rejected for good.
            let verdict = try await KYCTests.deliverReview(server, userId: kariId, answer: "RED", labels: ["SANCTIONS"], rejectType: "FINAL")
            #expect(verdict.status == 200)
            #expect(try await StandingOrdersTests.status(server, kari.auth, started.standingOrder.id) == .stopped)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alerts = try await ComplianceAdminTests.alerts(server, admin, "status=open").filter { $0.userId == kariId && $0.rule == .sanctions }
            #expect(alerts.count == 1 && alerts.first?.transactionId == nil && alerts.first?.decision == .block)

            // The payout job pays none of hers meanwhile.
            _ = try await server.services.payouts().submitDue()
            #expect(try await Self.column(server, "payout_id", of: approved.transaction.id, as: String.self) == nil)

            // The worker's next run: the waiting one cancelled at her bank, the approved one held for compliance.
            // (The bank's report of the cancellation is held back: applied first, it would name the bank as the reason.)
            server.sandboxes.faults.bank.webhooksHeld = true
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 2)
            let cancelled = try await server.get("/v1/transactions/\(waiting.transaction.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.history?.contains { $0.reason.lowercased().contains("sanction") || $0.reason.lowercased().contains("compliance") } == false)
            let bankId = try #require(try await Self.column(server, "pisp_payment_id", of: waiting.transaction.id, as: String.self))
            #expect(await server.sandboxes.bank?.payments().first { $0.id == bankId }?.status == "CANC")
            #expect(try await ComplianceAdminTests.transaction(server, admin, approved.transaction.id).status == .held)
            _ = try await server.services.payouts().submitDue()
            #expect(try await Self.column(server, "payout_id", of: approved.transaction.id, as: String.self) == nil)
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 0)

            // Compliance can't release it while she can't pay (the job would hold it again): reject it, or wait.
            let release = try await server.call(.POST, "/v1/admin/transactions/\(approved.transaction.id)/release", #"{"reason":"x"}"#, auth: admin)
            #expect(release.status == 409 && release.errorCode == "PAYER_UNAVAILABLE", "\(release.body)")
            #expect(try await ComplianceAdminTests.transaction(server, admin, approved.transaction.id).status == .held)

            // Her bank now refuses the payment it reported settled: held is no reason to let that pass unseen.
            let paymentId = try #require(try await Self.column(server, "pisp_payment_id", of: approved.transaction.id, as: String.self))
            let body = #"{"eventId":"evt-late-rjct","paymentId":"\#(paymentId)","transactionStatus":"RJCT","occurredAt":"2026-10-14T12:30:00Z"}"#
            let refused = try await server.request(.POST, "/v1/webhooks/open-banking", headers: [
                ("content-type", "application/json"),
                ("X-Drop-Signature", OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: server.services.config.secrets.openBankingWebhookSecret,
                                                             timestamp: server.clock.date)),
            ], body: body)
            #expect(refused.status == 200, "\(refused.body)")
            let operations = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            #expect(operations.contains { $0.entityId == approved.transaction.id && $0.details.contains("refused_after_settlement") })
            #expect(try await ComplianceAdminTests.transaction(server, admin, approved.transaction.id).status == .held)

            // A second verdict of the same kind raises no second alert.
            _ = try await KYCTests.deliverReview(server, userId: kariId, answer: "RED", labels: ["SANCTIONS"], rejectType: "FINAL", correlationId: "c-again")
            #expect(try await ComplianceAdminTests.alerts(server, admin, "status=open").filter { $0.userId == kariId && $0.rule == .sanctions }.count == 1)
        }
    }
}
