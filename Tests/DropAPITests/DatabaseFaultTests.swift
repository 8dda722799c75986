import DropCore
import DropKit
@_spi(FaultInjection) import DropStore
import DropProviderFakes
import Foundation
import HTTPTypes
import SQLKit
import Testing
@testable import DropAPI

/// The database failing at the worst moment (ADR 0035): a write after the bank or the partner was
/// asked whose connection drops, and a COMMIT that committed but answered with an error. Money is
/// never lost, doubled or mis-stated: the retry, the webhook's redelivery or a job finds the
/// half-state and finishes it (docs/money-integrity.md, §9).
@Suite("Database faults: a write lost after the bank or the partner acted")
struct DatabaseFaultTests {
    static func body(_ kari: TransfersTests.Sender, amount: Int64 = 20000) -> String {
        MoneyIntegrityTests.transferBody(kari, amount: amount)
    }

    static func transferIds(_ server: LiveServer) async throws -> [String] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT id FROM transactions ORDER BY created_at").all().map { try $0.decode(column: "id", as: String.self) }
        }
    }

    // MARK: Asking the bank

    /// The bank made the payment and Drop stored its id, but the write's answer was lost: the customer
    /// got a 500, and the retry under the key hands out the payment the bank made, not a second.
    @Test func aStoredBankAnswerWhoseWriteAnswerWasLostIsHandedOutByTheRetry() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            faults.failStatement(containing: "SET pisp_payment_id", .after)
            let lost = try await TransfersTests.send(server, kari, key: "lost-answer", body: Self.body(kari))
            #expect(lost.status == 500 && faults.fired == 1)
            let id = try #require(try await Self.transferIds(server).first)
            let stored = try await MoneyIntegrityTests.row(server, id)
            #expect(stored.status == .pendingSCA && stored.paymentId != nil)

            let retried = try await TransfersTests.send(server, kari, key: "lost-answer", body: Self.body(kari))
            #expect(retried.status == 201)
            let created = try retried.decode(TransactionCreated.self)
            #expect(created.transaction.id == id && created.scaRedirect?.absoluteString == stored.scaRedirect)
            #expect(await MoneyIntegrityTests.bankPayments(server, endToEnd: stored.endToEndId).count == 1)
            #expect(try await Self.transferIds(server) == [id])
        }
    }

    /// The write of the bank's answer never reached the database: nobody retries, and the reconciler
    /// learns the payment with the same request id (one payment at the bank) and tells the customer.
    @Test func aBankAnswerWhoseWriteNeverLandedIsLearntByTheReconciler() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            faults.failStatement(containing: "SET pisp_payment_id", .before)
            #expect(try await TransfersTests.send(server, kari, key: "unwritten", body: Self.body(kari)).status == 500)
            let id = try #require(try await Self.transferIds(server).first)
            let before = try await MoneyIntegrityTests.row(server, id)
            #expect(before.status == .pendingSCA && before.paymentId == nil)
            #expect(await MoneyIntegrityTests.bankPayments(server, endToEnd: before.endToEndId).count == 1)

            server.clock.advance(61)
            #expect(try await server.services.reconciliation.reconcile() >= 1)
            let after = try await MoneyIntegrityTests.row(server, id)
            let payments = await MoneyIntegrityTests.bankPayments(server, endToEnd: before.endToEndId)
            #expect(payments.count == 1 && after.paymentId == payments.first?.id && after.scaRedirect != nil)
        }
    }

    /// The transfer's own DB transaction committed and answered with an error: nothing was asked of the
    /// bank yet. The retry under the key finds the transfer and asks the bank once.
    @Test func aTransferWhoseCommitAnswerWasLostIsFinishedByTheRetry() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            faults.failCommit(ofTransactionContaining: "INSERT INTO transactions", .after)
            #expect(try await TransfersTests.send(server, kari, key: "committed", body: Self.body(kari)).status == 500)
            let id = try #require(try await Self.transferIds(server).first)
            let written = try await MoneyIntegrityTests.row(server, id)
            #expect(await MoneyIntegrityTests.bankPayments(server, endToEnd: written.endToEndId).isEmpty)

            let retried = try await TransfersTests.send(server, kari, key: "committed", body: Self.body(kari))
            #expect(try retried.status == 201 && retried.decode(TransactionCreated.self).transaction.id == id)
            #expect(await MoneyIntegrityTests.bankPayments(server, endToEnd: written.endToEndId).count == 1)
            #expect(try await Self.transferIds(server) == [id])
        }
    }

    /// The request's answer could not be stored under its Idempotency-Key: the retry answers with the
    /// transfer and the payment already made.
    @Test func anAnswerNeverStoredUnderItsKeyIsGivenByTheRetryWithoutASecondPayment() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            faults.failStatement(containing: "SET status = 'completed', response_status", .before)
            #expect(try await TransfersTests.send(server, kari, key: "no-answer", body: Self.body(kari)).status == 500)
            let id = try #require(try await Self.transferIds(server).first)
            let first = try await MoneyIntegrityTests.row(server, id)

            let retried = try await TransfersTests.send(server, kari, key: "no-answer", body: Self.body(kari))
            #expect(retried.status == 201)
            #expect(try retried.decode(TransactionCreated.self).scaRedirect?.absoluteString == first.scaRedirect)
            let replayed = try await TransfersTests.send(server, kari, key: "no-answer", body: Self.body(kari))
            #expect(replayed.status == 201 && replayed.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(await MoneyIntegrityTests.bankPayments(server, endToEnd: first.endToEndId).count == 1)
            #expect(try await Self.transferIds(server) == [id])
        }
    }

    /// The answer was stored under the key and the write's answer lost: the retry replays it.
    @Test func anAnswerStoredWithItsWriteAnswerLostIsReplayed() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            faults.failStatement(containing: "SET status = 'completed', response_status", .after)
            #expect(try await TransfersTests.send(server, kari, key: "stored", body: Self.body(kari)).status == 500)
            let replayed = try await TransfersTests.send(server, kari, key: "stored", body: Self.body(kari))
            #expect(replayed.status == 201 && replayed.headers.first(name: "Idempotent-Replayed") == "true")
            let id = try #require(try await Self.transferIds(server).first)
            #expect(await MoneyIntegrityTests.bankPayments(server, endToEnd: try await MoneyIntegrityTests.row(server, id).endToEndId).count == 1)
            #expect(try await Self.transferIds(server) == [id])
        }
    }

    /// A standing order the bank made, whose write was lost (committed or not): the retry or the
    /// reconciler hands out the order the bank already has, never a second one.
    @Test func aStandingOrderWhoseBankAnswerWriteWasLostIsTheOneTheBankHas() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let today = OsloCalendar.today(server.clock.date).iso
            let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"\#(today)"}"#
            func create(_ key: String) async throws -> LiveServer.Reply {
                try await server.request(.POST, "/v1/standing-orders",
                                         headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", key)], body: body)
            }
            faults.failCommit(ofTransactionContaining: "SET bank_payment_id", .after)
            #expect(try await create("so-committed").status == 500)
            let retried = try await create("so-committed")
            #expect(retried.status == 201)
            #expect(await server.sandboxes.bank?.periodicPayments().count == 1)

            faults.failCommit(ofTransactionContaining: "SET bank_payment_id", .before)
            #expect(try await create("so-unwritten").status == 500)
            #expect(await server.sandboxes.bank?.periodicPayments().count == 2)
            server.clock.advance(61)
            _ = try await server.services.standingOrders.reconcile()
            let unanswered = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM standing_orders WHERE bank_payment_id IS NULL").first()!.decode(column: "n", as: Int.self)
            }
            #expect(unanswered == 0)
            #expect(await server.sandboxes.bank?.periodicPayments().count == 2)
        }
    }

    // MARK: Cancelling

    /// The bank accepted the cancellation and Drop's write of it was lost. The customer, told "error",
    /// cancels again: the bank now refuses (there is nothing left to cancel), and Drop must not say the
    /// bank has processed the payment. It learns the cancellation from the bank and answers "cancelled".
    @Test func aCancelWhoseWriteWasLostAnswersCancelledWhenAskedAgain() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await TransfersTests.send(server, kari, key: "cancel-lost", body: Self.body(kari)).decode(TransactionCreated.self).transaction.id
            // The bank's own report of the cancellation comes later (a slow webhook).
            server.sandboxes.faults.bank.webhooksHeld = true
            faults.failCommit(ofTransactionContaining: "UPDATE transactions SET status", .before)
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth]).status == 500)
            #expect(try await MoneyIntegrityTests.row(server, id).status == .pendingSCA)
            let payment = try #require(try await MoneyIntegrityTests.row(server, id).paymentId)
            #expect(await server.sandboxes.bank?.payments().first { $0.id == payment }?.status == "CANC")

            let again = try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth])
            #expect(again.status == 200, "\(again.body)")
            #expect(try again.decode(DropKit.Transaction.self).status == .cancelled)
            // Nothing left the account, and the bank's late report changes nothing.
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            let history = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self).history ?? []
            #expect(history.filter { $0.status == .cancelled }.count == 1)
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000)
        }
    }

    /// The cancel's write committed and answered with an error: asked again, the customer hears that it is
    /// cancelled, not that only a payment not yet approved can be cancelled.
    @Test func aCancelWhoseCommitAnswerWasLostAnswersCancelledWhenAskedAgain() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await TransfersTests.send(server, kari, key: "cancel-committed", body: Self.body(kari))
                .decode(TransactionCreated.self).transaction.id
            server.sandboxes.faults.bank.webhooksHeld = true
            faults.failCommit(ofTransactionContaining: "UPDATE transactions SET status", .after)
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth]).status == 500)
            #expect(try await MoneyIntegrityTests.row(server, id).status == .cancelled)

            let again = try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth])
            #expect(again.status == 200, "\(again.body)")
            #expect(try again.decode(DropKit.Transaction.self).status == .cancelled)
            let history = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self).history ?? []
            #expect(history.filter { $0.status == .cancelled }.count == 1)
        }
    }

    /// An approved payment can still not be cancelled, and the customer is told so.
    @Test func anApprovedPaymentIsStillNotCancelled() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "approved", body: Self.body(kari)).decode(TransactionCreated.self)
            server.sandboxes.faults.bank.webhooksHeld = true
            _ = try await server.approveAtBank(try #require(created.scaRedirect).absoluteString, as: TransfersTests.kari)
            let refused = try await server.request(.POST, "/v1/transactions/\(created.transaction.id)/cancel", headers: [kari.auth])
            #expect(refused.status == 409 && refused.body.contains("already processed"))
            // Drop learnt the approval from the bank on the way.
            #expect(try await MoneyIntegrityTests.row(server, created.transaction.id).status == .processing)
        }
    }

    // MARK: The bank's webhook

    /// The webhook's DB transaction committed and answered with an error: Drop answers 500, the bank
    /// delivers it again, and the redelivery is a duplicate: one approval, one notification.
    @Test func aWebhookWhoseCommitAnswerWasLostIsAppliedOnce() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "hook", body: Self.body(kari)).decode(TransactionCreated.self)
            let id = created.transaction.id
            server.sandboxes.faults.bank.webhooksHeld = true
            _ = try await server.approveAtBank(try #require(created.scaRedirect).absoluteString, as: TransfersTests.kari)
            faults.failCommit(ofTransactionContaining: "INSERT INTO webhook_events", .after)
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(faults.fired == 1)
            // Whatever was committed stands; the rest is redelivered until Drop answers 2xx.
            for _ in 0..<10 {
                server.clock.advance(120)
                _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            }
            #expect(await server.sandboxes.bank?.undeliveredWebhookCount == 0)
            let row = try await MoneyIntegrityTests.row(server, id)
            #expect(row.status == .processing && row.fundsReceivedAt != nil)
            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.history?.map(\.status) == [.pendingSCA, .processing])
            let kinds = try await PayoutTests.notifications(server, kari).map(\.kind)
            #expect(kinds.filter { $0 == "transaction.processing" }.count == 1)
        }
    }

    // MARK: Expiry

    /// The bank accepted the expiry's cancellation and the expiry's write was lost: the next run asks the
    /// bank again, which reports it cancelled, and the transfer ends `expired`.
    @Test func anExpiryWhoseWriteWasLostIsFinishedByTheNextRun() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await TransfersTests.send(server, kari, key: "expire", body: Self.body(kari)).decode(TransactionCreated.self).transaction.id
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(16 * 60)
            faults.failCommit(ofTransactionContaining: "UPDATE transactions SET status", .before)
            // The job's run fails (the job queue records it); the bank has cancelled the payment.
            await #expect(throws: DatabaseFaults.Lost.self) { try await server.services.transactions.expireOverdue() }
            #expect(try await MoneyIntegrityTests.row(server, id).status == .pendingSCA)
            server.clock.advance(60)
            #expect(try await server.services.transactions.expireOverdue() == 1)
            #expect(try await MoneyIntegrityTests.row(server, id).status == .expired)
        }
    }

    // MARK: Payouts

    /// The partner took the pain.001, and the write that records it never reached the database. The
    /// claim lapses and the same bytes go again under the same message id: the partner answers with its
    /// first answer, no second message is made, and each transfer completes once.
    @Test func aSubmissionWhoseWriteWasLostIsResentAsTheSameMessage() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await PayoutTests.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            faults.failStatement(containing: "SET status = 'submitted'", .before)
            await #expect(throws: DatabaseFaults.Lost.self) { try await server.services.payouts().submitDue() }
            #expect(await server.sandboxes.payout?.acceptedEndToEndIds().isEmpty == false)
            #expect(try await PayoutTests.payoutStatuses(server) == ["sending"])

            // Another worker, once the claim has lapsed.
            server.clock.advance(2 * server.services.config.jobLease + 1)
            #expect(try await server.services.payouts().submitDue() == 0)
            #expect(try await PayoutTests.payoutStatuses(server) == ["submitted"])
            server.clock.advance(31)
            #expect(try await server.services.payouts().pollReports() == 1)
            #expect(try await PayoutTests.status(server, transfer.id) == "completed")
            let kinds = try await PayoutTests.notifications(server, kari).map(\.kind)
            #expect(kinds.filter { $0 == "transaction.completed" }.count == 1)
        }
    }

    /// The partner accepted a return and the write of its id was lost: the next run asks again under the
    /// same return id, and the partner makes one return.
    @Test func aReturnWhoseWriteWasLostIsAskedAgainUnderTheSameId() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await PayoutTests.paidTransfer(server, kari, recipient: PayoutTests.closedAccount, amountMinor: 50_000)
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 1)
            let paid = await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber)

            faults.failCommit(ofTransactionContaining: "SET partner_return_id", .before)
            await #expect(throws: DatabaseFaults.Lost.self) { try await payouts.processReturns() }
            #expect(try await PayoutTests.returnColumns(server, transfer.id).partnerId == nil)
            #expect(try await payouts.processReturns() == 0)
            #expect(try await PayoutTests.returnColumns(server, transfer.id).partnerId != nil)
            server.clock.advance(61)
            #expect(try await payouts.processReturns() == 1)
            #expect(try await PayoutTests.status(server, transfer.id) == "refunded")
            // Returned once: the account has exactly what left it back.
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == (paid ?? 0) + 50_250)
        }
    }

    // MARK: Standing transfers

    /// Kari changes her order on its payment day, before the bank has made today's payment. Approved, the
    /// change replaces the old order, which stays live at the bank until today's payment is made. When the
    /// read that tells so fails, the old order must not be cancelled on a guess: this month would be paid
    /// by neither order. It is left to the reconciler, which cancels it once today's payment is heard.
    @Test func aFailedReadNeverCancelsAReplacedOrderThatOwesAPaymentDay() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let kari = try await TransfersTests.sender(server)
            server.sandboxes.faults.bank.webhooksHeld = true
            let order = try await StandingOrderIntegrityTests.approvedOrder(server, kari)
            let changed = try await server.request(.POST, "/v1/standing-orders/\(order.id)/replace",
                                                   headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "change")],
                                                   body: #"{"amountMinor":160000}"#)
            #expect(changed.status == 201, "\(changed.body)")
            faults.failStatement(containing: "WHERE replaces_id = ", .before)
            try await StandingOrdersTests.approve(server, try changed.decode(DropKit.StandingOrderStarted.self))
            #expect(faults.fired == 1)
            let oldAtBank = try #require(order.bankPaymentId)
            #expect(await server.sandboxes.bank?.periodicPayments().first { $0.id == oldAtBank }?.status != "CANC")

            // The bank makes today's payment, and it is sent on as the old order's.
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            try await server.eventually("today's payment sent on") {
                try await StandingOrdersTests.transfers(server, order: order.id).map(\.status) == ["processing"]
            }
            _ = try await server.services.standingOrders.reconcile()
            let replaced = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: order.id, on: $0) }
            #expect(replaced?.status == .replaced && replaced?.bankCancelledAt != nil)
        }
    }

    // MARK: Linking a bank

    /// The bank says who approved the consent, and the read of the customer's own number fails. That is
    /// no proof someone else approved: the consent is not deleted at the bank nor refused here. The callback
    /// fails, and loaded again it links the accounts.
    @Test func aFailedReadNeverRefusesTheCustomersOwnBankConsent() async throws {
        let faults = DatabaseFaults()
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { server in
            let auth = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            let started = try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"dnb"}"#, headers: [auth])
            let sca = try started.decode(BankConnectStarted.self).scaRedirect.absoluteString
            let back = try await server.approveAtBank(sca, as: TransfersTests.kari)
            let callback = try #require(back.location)
            faults.failStatement(containing: "SELECT pid_encrypted FROM users WHERE id = ", .before)
            let failed = try await server.get(callback)
            #expect(faults.fired == 1)
            #expect(failed.status >= 500 || failed.location?.contains("BANK_DENIED") != true, "\(failed.status) \(failed.location ?? "")")
            let statuses = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status FROM bank_consents").all().map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(statuses == ["received"])

            _ = try await server.get(callback)
            let accounts = try await server.get("/v1/bank-accounts", headers: [auth]).decode(DropKit.Page<BankAccount>.self).items
            #expect(!accounts.isEmpty)
        }
    }

    /// A standing order is asked of the bank with the payer's PSU-ID, so the bank refuses an account that
    /// isn't theirs. When reading that number fails, the bank is not asked without it: the request fails,
    /// and its retry (or the reconciler) asks with it.
    @Test func aFailedReadNeverSendsAStandingOrderWithoutThePayersPSUId() async throws {
        let faults = DatabaseFaults()
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon), databaseFaults: faults) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            var headers = kari.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "so-psu"
            let today = OsloCalendar.today(app.services.clock()).iso
            let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":100000,"frequency":"monthly","startDate":"\#(today)"}"#
            faults.failStatement(containing: "SELECT pid_encrypted FROM users WHERE id = ", .before)
            let failed = try await app.post("/v1/standing-orders", body, headers)
            #expect(faults.fired == 1 && failed.status == .internalServerError)
            #expect(await parties.bank.periodicPaymentPSUs().allSatisfy { $0.psuId == BankLinkRouterTests.kari })

            let retried = try await app.post("/v1/standing-orders", body, headers)
            #expect(retried.status == .created)
            let asked = await parties.bank.periodicPaymentPSUs()
            #expect(asked.count == 1 && asked.first?.psuId == BankLinkRouterTests.kari)
        }
    }

    // MARK: Erasure

    /// The read of Kari's bank consents fails as she erases her account: the erasure must not go ahead as if
    /// she had none, leaving Drop's access to her accounts live at the bank with nothing to end it.
    @Test func aFailedReadOfTheConsentsNeverLeavesTheBankAccessOfAnErasedCustomer() async throws {
        let faults = DatabaseFaults()
        let bank = await BankLinkRouterTests.bank()
        try await RouterApp.test(providers: .init(openBanking: bank), databaseFaults: faults) { app in
            let kari = try await app.bearer(BankLinkRouterTests.kari)
            let (connection, consent) = try await BankLinkRouterTests.connect(app, kari)
            try await bank.approveConsent(consent, as: BankLinkRouterTests.kari)
            _ = try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")

            faults.failStatement(containing: "FROM bank_consents WHERE user_id = ", .before)
            let failed = try await app.send(.post, "/v1/gdpr/erasure", nil, kari)
            #expect(faults.fired == 1 && failed.status == .internalServerError)
            #expect(try await bank.consent(bank: "dnb", consentId: consent).status == "valid")

            #expect(try await app.send(.post, "/v1/gdpr/erasure", nil, kari).status == .accepted)
            #expect(try await bank.consent(bank: "dnb", consentId: consent).status == "terminatedByTpp")
        }
    }
}
