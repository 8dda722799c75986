import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// What a payment service is judged by: an edited recipient, a lost bank answer, a request whose
/// process died, a late webhook, a settlement after the end (docs/money-integrity.md).
@Suite("Money integrity: payee snapshots, lost answers, resumed requests, expiry and reconciliation")
struct MoneyIntegrityTests {
    static let anders = "04047510142"

    static func transferBody(_ kari: TransfersTests.Sender, amount: Int64 = 20000) -> String {
        #"{"recipientId":"\#(kari.recipientId)","amountMinor":\#(amount),"bankAccountId":"\#(kari.accountId)"}"#
    }

    static func row(_ server: LiveServer, _ id: String) async throws -> BankPaymentRecord {
        try #require(try await server.services.database.withConnection { try await TransactionRepository.bankPayment(id: id, on: $0) })
    }

    /// The bank's payments carrying this transfer's end-to-end id.
    static func bankPayments(_ server: LiveServer, endToEnd: String) async -> [(id: String, endToEndId: String?, status: String)] {
        await server.sandboxes.bank?.payments().filter { $0.endToEndId == endToEnd } ?? []
    }

    @Test func aRecipientEditedAfterTheTransferNeverChangesWhereItPays() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "snap", body: Self.transferBody(kari))
            #expect(created.status == 201)
            let id = try created.decode(TransactionCreated.self).transaction.id

            // After creating it, Kari (or someone with her session) points the recipient elsewhere.
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"name":"Mallory Hacker","iban":"PL27114020040000300201355387"}"#, auth: kari.auth)
            #expect(edited.status == 200)

            let view = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(view.recipient?.name == "Zofia Wójcik")
            let receipt = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth])
            #expect(receipt.body.contains("Zofia") && !receipt.body.contains("Mallory"))

            // Approved and paid out: the pain.001 pays the payee as quoted.
            _ = try await server.approveAtBank(try #require(try created.decode(TransactionCreated.self).scaRedirect).absoluteString, as: TransfersTests.kari)
            try await server.eventually("the bank's settlement") {
                let row = try await Self.row(server, id)
                return row.status == .processing && row.fundsReceivedAt != nil
            }
            #expect(try await server.services.payouts().submitDue() == 1)
            let pain001 = try await server.services.database.withConnection { db in
                try await db.raw("SELECT pain001 FROM payouts").all().map { try $0.decode(column: "pain001", as: String.self) }
            }
            #expect(pain001.count == 1)
            #expect(pain001.first?.contains("PL61109010140000071219812874") == true)
            #expect(pain001.first?.contains("Mallory") == false && pain001.first?.contains("PL27114020040000300201355387") == false)
        }
    }

    @Test func aLostBankAnswerIsRecoveredByTheRetryWithoutASecondPayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            // The bank makes the payment, but its answer never reaches Drop.
            server.sandboxes.faults.bank.failNext(1, with: .lostAnswer)
            let lost = try await TransfersTests.send(server, kari, key: "lost", body: Self.transferBody(kari))
            #expect(lost.status == 503 && lost.errorCode == "PROVIDER_UNAVAILABLE")
            let transfers = try await server.get("/v1/transactions", headers: [kari.auth]).decode(DropKit.Page<DropKit.Transaction>.self).items
            #expect(transfers.count == 1 && transfers.first?.status == .pendingSCA)
            let id = try #require(transfers.first?.id)
            let before = try await Self.row(server, id)
            #expect(before.paymentId == nil && before.bankRequestId != nil)
            #expect(await Self.bankPayments(server, endToEnd: before.endToEndId).count == 1)

            // The app retries with the same key: the same transfer, the payment the bank already made.
            let retried = try await TransfersTests.send(server, kari, key: "lost", body: Self.transferBody(kari))
            #expect(retried.status == 201)
            #expect(try retried.decode(TransactionCreated.self).transaction.id == id)
            let payments = await Self.bankPayments(server, endToEnd: before.endToEndId)
            #expect(payments.count == 1)
            #expect(try await Self.row(server, id).paymentId == payments.first?.id)
            #expect(try await TransfersTests.transactionCount(server) == 1)

            // And it can be approved as usual.
            _ = try await server.approveAtBank(try #require(try retried.decode(TransactionCreated.self).scaRedirect).absoluteString, as: TransfersTests.kari)
            try await server.eventually("approved") { try await Self.row(server, id).status == .processing }
        }
    }

    @Test func theReconcilerLearnsAPaymentNobodyRetried() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let admin = try await server.bearer(Self.anders)
            server.sandboxes.faults.bank.failNext(1, with: .lostAnswer)
            #expect(try await TransfersTests.send(server, kari, key: "gone", body: Self.transferBody(kari)).status == 503)
            let id = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT id FROM transactions").first()?.decode(column: "id", as: String.self)
            })
            // Nobody retries. After a while the checker reports a payment the bank knows and Drop doesn't…
            server.clock.advance(6 * 60)
            let report = try await server.get("/v1/admin/reconciliation", headers: [admin]).decode(ReconciliationReport.self)
            #expect(report.findings.contains { $0.transactionId == id && $0.problem == .bankPaymentUnknown })
            #expect(try await server.get("/metrics").body.contains("drop_reconciliation_findings 1"))

            // …until the reconciler asks the bank again with the same request id.
            #expect(try await server.services.reconciliation.reconcile() >= 1)
            let recovered = try await Self.row(server, id)
            let payments = await Self.bankPayments(server, endToEnd: recovered.endToEndId)
            #expect(payments.count == 1 && recovered.paymentId == payments.first?.id && recovered.scaRedirect != nil)
            let healthy = try await server.get("/v1/admin/reconciliation", headers: [admin]).decode(ReconciliationReport.self)
            #expect(healthy.count == 0)
            // Customers don't see it.
            #expect(try await server.get("/v1/admin/reconciliation", headers: [kari.auth]).status == 403)
        }
    }

    /// Lost answers open the bank's breaker. Asking again while it is open is no answer: the
    /// payments the bank may have made stay unknown (not failed, keys kept), for the reconciler to
    /// learn once the bank is back, not for the customer to pay a second time.
    @Test func aReAskWhileTheBreakerIsOpenLeavesThePaymentUnknown() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            // Three payments the bank made whose answers were lost; the third failure opens the breaker.
            server.sandboxes.faults.bank.failNext(3, with: .lostAnswer)
            #expect(try await TransfersTests.send(server, kari, key: "lost-1", body: Self.transferBody(kari)).status == 503)
            server.clock.advance(30)
            #expect(try await TransfersTests.send(server, kari, key: "lost-2", body: Self.transferBody(kari, amount: 20100)).status == 503)
            #expect(try await TransfersTests.send(server, kari, key: "lost-3", body: Self.transferBody(kari, amount: 20200)).status == 503)
            #expect(await server.services.openBanking.wrapped.breakerSnapshot(for: "dnb").state == .open)
            let sent = try await server.services.database.withConnection { db in
                try await db.raw("SELECT id, idempotency_key FROM transactions").all().map {
                    (try $0.decode(column: "idempotency_key", as: String.self), try $0.decode(column: "id", as: String.self))
                }
            }
            let ids = Dictionary(uniqueKeysWithValues: sent)
            let first = try #require(ids["lost-1"]), second = try #require(ids["lost-2"])
            #expect(await Self.bankPayments(server, endToEnd: try await Self.row(server, first).endToEndId).count == 1)

            // Within the breaker's minute: the reconciler asks again for the first, Kari retries the second.
            server.clock.advance(31)
            #expect(try await server.services.reconciliation.reconcile() == 1)
            #expect(try await TransfersTests.send(server, kari, key: "lost-2", body: Self.transferBody(kari, amount: 20100)).status == 503)
            for id in [first, second] {
                let unknown = try await server.services.database.withConnection { db in
                    try #require(try await db.raw("SELECT status, failure_reason, idempotency_key FROM transactions WHERE id = \(bind: id)").first())
                }
                #expect(try unknown.decode(column: "status", as: String.self) == "pending_sca")
                #expect(try unknown.decode(column: "failure_reason", as: String?.self) == nil)
                #expect(try unknown.decode(column: "idempotency_key", as: String?.self) != nil)
            }
            let told = try await server.get("/v1/notifications?limit=100", headers: [kari.auth]).decode(NotificationList.self).items.map(\.kind)
            #expect(!told.contains("transaction.failed"))

            // The bank is back: the reconciler learns each payment the bank made, and none twice.
            server.clock.advance(60)
            #expect(try await server.services.reconciliation.reconcile() >= 3)
            for id in ids.values {
                let learnt = try await Self.row(server, id)
                let atBank = await Self.bankPayments(server, endToEnd: learnt.endToEndId)
                #expect(learnt.status == .pendingSCA && atBank.count == 1 && learnt.paymentId == atBank.first?.id)
            }
        }
    }

    /// With the lease set shorter than its default (`IDEMPOTENCY_LEASE_SECONDS`, as the crash test does).
    @Test func aRequestWhoseProcessDiedIsResumedOnceItsLeaseLapses() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: ["IDEMPOTENCY_LEASE_SECONDS": "4"]) { server in
            let kari = try await TransfersTests.sender(server)
            let userId = try await server.userId(kari.auth)
            let body = Self.transferBody(kari)
            // A first attempt took the key and died before answering (kill -9): only its record is left.
            let store = server.services.idempotentRequests.store
            #expect(store.lease == 4)
            #expect(try await store.begin(scope: "remittance:\(userId)", key: "died", requestHash: Hex.sha256(of: Array(body.utf8)),
                                          owner: "dead-process", now: server.clock.date) == .started)
            // While its lease runs, a retry is told to wait (409 after its patience).
            // Once it lapses, the retry owns the request and finishes it.
            server.clock.advance(5)
            let resumed = try await TransfersTests.send(server, kari, key: "died", body: body)
            #expect(resumed.status == 201)
            #expect(try await TransfersTests.transactionCount(server) == 1)
            let replay = try await TransfersTests.send(server, kari, key: "died", body: body)
            #expect(replay.status == 201 && replay.body == resumed.body)
        }
    }

    @Test func expiryWaitsForTheBankAndALateApprovalIsPaidNotLost() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "late", body: Self.transferBody(kari))
            let id = try created.decode(TransactionCreated.self).transaction.id
            // Kari approves at 14:59; the bank's webhook is late.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(14 * 60 + 59)
            _ = try await server.approveAtBank(try #require(try created.decode(TransactionCreated.self).scaRedirect).absoluteString, as: TransfersTests.kari)
            server.clock.advance(2 * 60)

            // The bank can't be reached: nothing is expired on a guess.
            server.sandboxes.faults.bank.fault = .unavailable
            #expect(try await server.services.transactions.expireOverdue() == 0)
            #expect(try await Self.row(server, id).status == .pendingSCA)

            // The bank answers again: it refuses the cancellation (paid), so the transfer moves on.
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // the breaker's cool-down
            #expect(try await server.services.transactions.expireOverdue() == 0)
            let moved = try await Self.row(server, id)
            #expect(moved.status == .processing && moved.fundsReceivedAt != nil)

            // The late webhook changes nothing more.
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await Self.row(server, id).status == .processing)
        }
    }

    @Test func aPaymentTheBankRejectedForWantOfApprovalExpiresWhoeverHearsFirst() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "unapproved", body: Self.transferBody(kari))
            let id = try created.decode(TransactionCreated.self).transaction.id
            // Nobody approves; the bank rejects it at the end of its window and its webhook is late,
            // so the reconciler's status read is the first Drop hears of it.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(16 * 60)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            let endToEnd = try await Self.row(server, id).endToEndId
            #expect(await Self.bankPayments(server, endToEnd: endToEnd).map(\.status) == ["RJCT"])
            try await server.services.transactions.followUp(transactionId: id)
            let transfer = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(transfer.status == .expired && transfer.failureReason == nil)
            // The late webhook says the same and changes nothing.
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await Self.row(server, id).status == .expired)
        }
    }

    @Test func aSettlementAfterTheTransferEndedIsReturnedAndRaisedToOperations() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let admin = try await server.bearer(Self.anders)
            let created = try await TransfersTests.send(server, kari, key: "ended", body: Self.transferBody(kari))
            let id = try created.decode(TransactionCreated.self).transaction.id
            // The bank's own timeout rejection (a webhook) must not race Drop's expiry here.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(16 * 60)
            #expect(try await server.services.transactions.expireOverdue() == 1)
            let expired = try await Self.row(server, id)
            #expect(expired.status == .expired)

            // The bank reports the NOK settled anyway (a bank's error, or a race Drop lost).
            let body = #"{"eventId":"late-1","paymentId":"\#(try #require(expired.paymentId))","transactionStatus":"ACSC"}"#
            let signature = OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: server.services.config.secrets.openBankingWebhookSecret,
                                                    timestamp: server.clock.date)
            let delivered = try await server.request(.POST, "/v1/webhooks/open-banking",
                                                     headers: [("content-type", "application/json"), ("X-Drop-Signature", signature)], body: body)
            #expect(delivered.status == 200)

            let after = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status, funds_received_at, return_requested_at, return_reason FROM transactions WHERE id = \(bind: id)").first()
            }
            #expect(try after?.decode(column: "status", as: String.self) == "expired")
            #expect(try after?.decode(column: "funds_received_at", as: Date?.self) != nil)
            #expect(try after?.decode(column: "return_requested_at", as: Date?.self) != nil)
            #expect(try after?.decode(column: "return_reason", as: String?.self) == "late_settlement")
            // Asking for the return is a change of the payment: audited with it, by Drop.
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: id).contains { $0.action == "transaction.return_requested" && $0.actor == nil })
            // Kari is told exactly that: on its way back, not "no money has left your account".
            let view = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(view.moneyReturn?.status == .pending)
            let page = try await server.get("/transactions/\(id)", headers: [try await server.webSession(TransfersTests.kari)])
            #expect(page.body.contains("Pengene er på vei tilbake") && !page.body.contains("Ingen penger er trukket"))
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notifications.contains { $0.kind == "transaction.return_pending" && $0.data?["transactionId"] == id })
            let report = try await server.get("/v1/admin/reconciliation", headers: [admin]).decode(ReconciliationReport.self)
            let late = try #require(report.alerts.first { $0.kind == .lateSettlement && $0.entityId == id })
            // Its details are what the bank said and where the transfer stood: codes, no personal data.
            let details = try JSONDecoder().decode([String: String].self, from: Data(late.details.utf8))
            #expect(Set(details.keys) == ["status", "bankStatus", "kind"] && details["kind"] == "remittance")
            // The money has a defined way back, so it is not "funds without outcome".
            #expect(!report.findings.contains { $0.problem == .fundsWithoutOutcome })
        }
    }
}

/// `GET /v1/admin/reconciliation` as an operator's tool reads it: DropStore's findings and alerts.
private struct ReconciliationReport: Decodable {
    let count: Int
    let findings: [ReconciliationFinding]
    let alerts: [OperationsAlert]
}
