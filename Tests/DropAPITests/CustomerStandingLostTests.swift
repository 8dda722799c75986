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
            let release = try await server.release(approved.transaction.id, #"{"reason":"x"}"#, approvedBy: admin)
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

    /// Ola Nordmann onboarded, his DNB account linked and a recipient in Poland: a second customer
    /// whose transfer shares a payout message with Kari's.
    static func ola(_ server: LiveServer) async throws -> TransfersTests.Sender {
        let auth = try await KYCTests.onboardAndVerify(server, BankAccountsTests.ola).auth
        _ = try await server.connectBank("dnb", auth: auth, as: BankAccountsTests.ola)
        let accounts = try await server.get("/v1/bank-accounts", headers: [auth]).decode(DropKit.Page<BankAccount>.self).items
        let recipient = try await server.call(.POST, "/v1/recipients", RecipientsTests.poland, auth: auth)
        return TransfersTests.Sender(auth: auth, accountId: try #require(accounts.first?.id), accountNumber: "",
                                     recipientId: try recipient.decode(Recipient.self).id)
    }

    /// A transfer approved at the payer's bank whose NOK has arrived at the partner.
    static func paid(_ server: LiveServer, _ sender: TransfersTests.Sender, as nationalId: String, amountMinor: Int64, key: String) async throws -> String {
        let sent = try await Self.send(server, sender, amountMinor: amountMinor, key: key)
        let back = try await server.approveAtBank(try #require(sent.scaRedirect?.absoluteString), as: nationalId)
        _ = try await server.get(try #require(back.location))
        let id = sent.transaction.id
        try await server.eventually("the NOK arrived") { try await Self.column(server, "funds_received_at", of: id, as: Date.self) != nil }
        return id
    }

    static func payoutStatus(_ server: LiveServer, _ payoutId: String) async throws -> String? {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT status FROM payouts WHERE id = \(bind: payoutId)").first()?.decode(column: "status", as: String.self)
        }
    }

    /// Kari's and Ola's transfers in one message the partner, down, never got: Kari is sanctioned meanwhile.
    /// - Returns: Kari's and Ola's transfer ids and the message's id.
    static func packedWhileThePartnerWasDown(_ server: LiveServer) async throws -> (kari: TransfersTests.Sender, hers: String, his: String, payoutId: String) {
        let kari = try await TransfersTests.sender(server)
        let ola = try await Self.ola(server)
        let hers = try await Self.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
        let his = try await Self.paid(server, ola, as: BankAccountsTests.ola, amountMinor: 40_000, key: "his")
        server.sandboxes.faults.payout.fault = .unavailable
        #expect(try await server.services.payouts().submitDue() == 1)
        let payoutId = try #require(try await Self.column(server, "payout_id", of: hers, as: String.self))
        #expect(try await Self.column(server, "payout_id", of: his, as: String.self) == payoutId)
        #expect(try await Self.payoutStatus(server, payoutId) == "created")
        // Sumsub's ongoing screening finds Kari; the job holds only transfers in no message yet.
        try await Self.sanction(server, kari)
        #expect(try await server.services.transactions.withdrawWithoutStanding() == 0)
        return (kari, hers, his, payoutId)
    }

    /// The message went unsent while the partner was down; the payer is sanctioned before it is back.
    /// Sent as stored, Kari's transfer would be paid out although she may no longer pay. The partner
    /// is asked about it (a send was tried), doesn't know it, and the message is withdrawn: her transfer
    /// is held, Ola's goes out in a new message and is paid.
    @Test func aTransferInAMessageThePartnerNeverGotIsHeldWhenItsPayerIsSanctioned() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (_, hers, his, payoutId) = try await Self.packedWhileThePartnerWasDown(server)
            let herEndToEnd = try #require(try await Self.column(server, "end_to_end_id", of: hers, as: String.self))
            let hisEndToEnd = try #require(try await Self.column(server, "end_to_end_id", of: his, as: String.self))

            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(61)  // the partner's breaker cools down
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)  // Ola's, in a new message
            #expect(try await Self.payoutStatus(server, payoutId) == "withdrawn")
            #expect(try await Self.column(server, "payout_id", of: hers, as: String.self) == nil)
            let newMessage = try #require(try await Self.column(server, "payout_id", of: his, as: String.self))
            #expect(newMessage != payoutId)
            #expect(try await Self.payoutStatus(server, newMessage) == "submitted")
            let actions = try await ComplianceAdminTests.auditRows(server, entityId: payoutId).map(\.action)
            #expect(actions.suffix(2) == ["payout.sending", "payout.withdrawn"])

            // The withdraw job's next run holds hers for compliance; nothing more of hers goes out.
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 1)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            #expect(try await ComplianceAdminTests.transaction(server, admin, hers).status == .held)
            server.clock.advance(31)
            _ = try await payouts.submitDue()
            _ = try await payouts.pollReports()
            #expect(try await ComplianceAdminTests.transaction(server, admin, his).status == .completed)
            let accepted = try #require(await server.sandboxes.payout?.acceptedEndToEndIds())
            #expect(accepted.contains(hisEndToEnd) && !accepted.contains(herEndToEnd))
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// Kari's and Ola's transfers in one message no worker has claimed yet (the run stopped after writing
    /// it); Kari is sanctioned meanwhile. - Returns: Kari's and Ola's transfer ids and the message's id.
    static func packedNeverClaimed(_ server: LiveServer) async throws -> (hers: String, his: String, payoutId: String) {
        let kari = try await TransfersTests.sender(server)
        let ola = try await Self.ola(server)
        let hers = try await Self.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
        let his = try await Self.paid(server, ola, as: BankAccountsTests.ola, amountMinor: 40_000, key: "his")
        let currency = try #require(try await Self.column(server, "target_currency", of: hers, as: String.self))
        let amounts = [try #require(try await Self.column(server, "target_amount_minor", of: hers, as: Int64.self)),
                       try #require(try await Self.column(server, "target_amount_minor", of: his, as: Int64.self))]
        let payoutId = RecordID.make()
        try await server.services.database.transaction { db in
            try await PayoutRepository.insertBatch(id: payoutId, messageId: "NEVERCLAIMED1", currency: currency, transactionIds: [hers, his],
                                                   controlSumMinor: amounts.reduce(0, +), pain001: "<Document/>", at: server.clock.date, on: db)
        }
        try await Self.sanction(server, kari)
        #expect(try await server.services.transactions.withdrawWithoutStanding() == 0)
        return (hers, his, payoutId)
    }

    /// A message written and never tried (the run stopped before sending it, or the verdict came between
    /// the two): withdrawn without asking the partner, on the DB transaction that found the payer.
    @Test func aMessageNeverTriedIsWithdrawnWithoutAskingThePartner() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (hers, his, payoutId) = try await Self.packedNeverClaimed(server)
            server.sandboxes.faults.payout.fault = .unavailable
            // The partner is still down: the withdrawal needs no answer from it (one tried before would
            // wait for the partner's); Ola's new message waits for it.
            #expect(try await server.services.payouts().submitDue() == 1)
            #expect(try await Self.payoutStatus(server, payoutId) == "withdrawn")
            #expect(try await Self.column(server, "payout_id", of: hers, as: String.self) == nil)
            let newMessage = try #require(try await Self.column(server, "payout_id", of: his, as: String.self))
            #expect(try await Self.payoutStatus(server, newMessage) == "created")
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 1)
            // The withdrawn message's files name its receivers: blanked five years on like any message done with.
            server.clock.advance(RecordRetention.keptUntil(madeAt: server.clock.date).timeIntervalSince(server.clock.date) + 1)
            #expect(try await server.services.retentionPurge.blankPayoutFiles() >= 1)
            let files = try await server.services.database.withConnection { db in
                try #require(try await db.raw("SELECT pain001 FROM payouts WHERE id = \(bind: payoutId)").first()).decode(column: "pain001", as: String.self)
            }
            #expect(files.isEmpty)
        }
    }

    /// A message whose earlier send reached the partner (every answer lost on the way back): Drop can't
    /// take it back. It is sent (the partner answers the same bytes as the first time) and operations
    /// are told which transfer, to ask the partner to stop it.
    @Test func aMessageThePartnerAlreadyHasGoesOnAndOperationsAreTold() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let hers = try await Self.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
            // The partner takes the message and its answer is lost; it is down for the retries.
            server.sandboxes.faults.payout.fault = .unavailable
            server.sandboxes.faults.payout.failNext(1, with: .lostAnswer)
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            let payoutId = try #require(try await Self.column(server, "payout_id", of: hers, as: String.self))
            #expect(try await Self.payoutStatus(server, payoutId) == "created")
            try await Self.sanction(server, kari)

            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(61)
            #expect(try await payouts.submitDue() == 0)
            #expect(try await Self.payoutStatus(server, payoutId) == "submitted")
            let herEndToEnd = try #require(try await Self.column(server, "end_to_end_id", of: hers, as: String.self))
            #expect(await server.sandboxes.payout?.acceptedEndToEndIds().contains(herEndToEnd) == true)
            let raised = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
                .filter { $0.kind == .payoutWithoutStanding }
            #expect(raised.map(\.entityId) == [hers])
            #expect(raised.first?.details.contains(payoutId) == true)
        }
    }

    /// During a rolling deploy a worker of the release before migration 30 sent Kari's and Ola's message and
    /// lost the partner's answer: it put the message back to `created` without `send_attempted_at`, a column it
    /// doesn't know. Kari is sanctioned before a new worker sends it again. Counted as never tried, the message
    /// would be withdrawn without asking the partner, who has it, and Ola's transfer paid again in a new one.
    /// Its earlier claim (`payout.sending`) counts as a try: the partner is asked, has it, and it goes on.
    @Test func aMessageTheReleaseBeforeTriedIsNotWithdrawnUnasked() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let ola = try await Self.ola(server)
            let hers = try await Self.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
            let his = try await Self.paid(server, ola, as: BankAccountsTests.ola, amountMinor: 40_000, key: "his")
            server.sandboxes.faults.payout.fault = .unavailable
            server.sandboxes.faults.payout.failNext(1, with: .lostAnswer)
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            let payoutId = try #require(try await Self.column(server, "payout_id", of: hers, as: String.self))
            #expect(try await Self.column(server, "payout_id", of: his, as: String.self) == payoutId)
            #expect(try await Self.payoutStatus(server, payoutId) == "created")
            // What the release before migration 30 leaves: no stamp of its try.
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE payouts SET send_attempted_at = NULL WHERE id = \(bind: payoutId)").run()
            }
            try await Self.sanction(server, kari)

            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(61)
            #expect(try await payouts.submitDue() == 0)
            #expect(try await Self.payoutStatus(server, payoutId) == "submitted")
            #expect(try await Self.column(server, "payout_id", of: his, as: String.self) == payoutId)
            let messages = try await server.services.database.withConnection { db in
                try #require(try await db.raw("SELECT COUNT(*) AS n FROM payouts").first()).decode(column: "n", as: Int.self)
            }
            #expect(messages == 1)
            let raised = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
                .filter { $0.kind == .payoutWithoutStanding }
            #expect(raised.map(\.entityId) == [hers])
        }
    }
}
