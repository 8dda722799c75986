import DropCore
import DropKit
import DropProviderFakes
import DropProviders
import DropStore
import DropTestSupport
import Foundation
import HTTPTypes
import SQLKit
import Testing
@testable import DropAPI

/// A bank call whose outcome Drop can't know: the attempt was cancelled while the bank worked, or
/// the bank's answer came after the transfer had ended (docs/money-integrity.md §2).
extension TransfersRouterTests {
    struct Attempt {
        let user: UserRecord
        let input: RemittanceService.Input
    }

    static func attempt(_ app: RouterApp, _ kari: (auth: HTTPFields, accountId: String, recipientId: String)) async throws -> Attempt {
        let userId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
        let user = try #require(try await app.services.database.withConnection { try await UserRepository.find(id: userId, on: $0) })
        return Attempt(user: user, input: .init(recipientId: kari.recipientId, amountMinor: 100_000, bankAccountId: kari.accountId))
    }

    static func send(_ app: RouterApp, _ attempt: Attempt, key: String) async throws -> RemittanceService.Started {
        try await app.services.remittances.createOnce(user: attempt.user, attempt.input, idempotencyKey: key, psuIPAddress: "192.0.2.10")
    }

    /// Waits until the bank has made a payment and holds its answer.
    static func untilTheBankHoldsAnAnswer(_ bank: InMemoryBank) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while await bank.heldPaymentAnswers == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await bank.heldPaymentAnswers == 1)
    }

    /// The only transfer, as stored.
    static func onlyTransfer(_ app: RouterApp) async throws -> (id: String, status: String, key: String?, paymentId: String?, scaRedirect: String?,
                                                                failureReason: String?, endToEndId: String) {
        try await app.services.database.withConnection { db in
            let rows = try await db.raw("""
                SELECT id, status, idempotency_key, pisp_payment_id, sca_redirect, failure_reason, end_to_end_id FROM transactions
                """).all()
            let row = try #require(rows.count == 1 ? rows.first : nil)
            return (try row.decode(column: "id", as: String.self), try row.decode(column: "status", as: String.self),
                    try row.decode(column: "idempotency_key", as: String?.self), try row.decode(column: "pisp_payment_id", as: String?.self),
                    try row.decode(column: "sca_redirect", as: String?.self), try row.decode(column: "failure_reason", as: String?.self),
                    try row.decode(column: "end_to_end_id", as: String.self))
        }
    }

    /// `IdempotentRequest` cancels an attempt whose key a retry took over, wherever it stands; here
    /// it stands in the bank call, and the bank has made the payment. A cancelled attempt writes no
    /// more than a crashed one: the transfer stays `pending_sca` with its key (not "failed, no
    /// money has left your account"), and the retry finishes it with the payment the bank made.
    @Test func anAttemptCancelledDuringTheBankCallLeavesTheTransferToTheRetry() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let attempt = try await Self.attempt(app, kari)
            await parties.bank.holdNextPaymentAnswers()
            let first = Task { try await Self.send(app, attempt, key: "cancelled") }
            try await Self.untilTheBankHoldsAnAnswer(parties.bank)
            first.cancel()
            await #expect(throws: (any Error).self) { try await first.value }

            let stored = try await Self.onlyTransfer(app)
            #expect(stored.status == "pending_sca" && stored.key == "cancelled" && stored.failureReason == nil && stored.paymentId == nil)
            let made = await parties.bank.paymentStatuses(endToEndId: stored.endToEndId)
            #expect(made.count == 1 && made.first?.status == "RCVD")
            let told = try await app.get("/v1/notifications?limit=100", kari.auth).decode(NotificationList.self).items.map(\.kind)
            #expect(!told.contains("transaction.failed"))

            // The retry with the key: the same transfer and the payment the bank already made, to approve as usual.
            let retried = try await Self.send(app, attempt, key: "cancelled")
            #expect(retried.transaction.id == stored.id)
            let payment = try #require(made.first?.id)
            #expect(await parties.bank.paymentStatuses(endToEndId: stored.endToEndId).count == 1)
            #expect(retried.scaRedirect?.hasSuffix("/\(payment)") == true)
            #expect(try await Self.onlyTransfer(app).paymentId == payment)
        }
    }

    /// The bank answers after the user cancelled the transfer (the cancel learnt the same payment by
    /// its request id and cancelled it at the bank): the late answer gives nobody an approval page.
    @Test func aBankAnswerAfterTheUserCancelledGivesNoApprovalPage() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let attempt = try await Self.attempt(app, kari)
            await parties.bank.holdNextPaymentAnswers()
            let first = Task { try await Self.send(app, attempt, key: "slow") }
            try await Self.untilTheBankHoldsAnAnswer(parties.bank)
            let id = try await Self.onlyTransfer(app).id
            let cancelled = try await app.post("/v1/transactions/\(id)/cancel", "{}", kari.auth)
            #expect(cancelled.status == .ok)
            #expect(try cancelled.decode(DropKit.Transaction.self).status == .cancelled)

            await parties.bank.releaseHeldPaymentAnswers()
            let error = await #expect(throws: AppError.self) { try await first.value }
            #expect(error?.status == .conflict)
            let stored = try await Self.onlyTransfer(app)
            #expect(stored.status == "cancelled")
            #expect(await parties.bank.paymentStatuses(endToEndId: stored.endToEndId).map(\.status) == ["CANC"])
            // The payment was Drop's own, settled with the bank by the cancel: nothing for operations.
            #expect(try await app.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }.isEmpty)
        }
    }

    /// The bank answers with a payment after the transfer ended without it (here another attempt
    /// failed it for certain meanwhile): the answer is not stored, so the transfer is not revived
    /// with an approval page; the bank is asked to cancel the payment and operations hear of it.
    @Test func aBankAnswerAfterTheTransferFailedDoesNotReviveIt() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let attempt = try await Self.attempt(app, kari)
            await parties.bank.holdNextPaymentAnswers()
            let first = Task { try await Self.send(app, attempt, key: "late") }
            try await Self.untilTheBankHoldsAnAnswer(parties.bank)
            let ending = try await Self.onlyTransfer(app)
            let record = try #require(try await app.services.database.withConnection { try await TransactionRepository.bankPayment(id: ending.id, on: $0) })
            try await app.services.paymentInitiation.recordFailure(of: record.statusRecord, reason: "bank_unavailable", releasingKey: false)

            await parties.bank.releaseHeldPaymentAnswers()
            let error = await #expect(throws: AppError.self) { try await first.value }
            #expect(error?.status == .conflict)
            let stored = try await Self.onlyTransfer(app)
            #expect(stored.status == "failed" && stored.paymentId == nil && stored.scaRedirect == nil)
            #expect(try await app.get("/v1/transactions/\(stored.id)", kari.auth).decode(DropKit.Transaction.self).status == .failed)
            #expect(await parties.bank.paymentStatuses(endToEndId: stored.endToEndId).map(\.status) == ["CANC"])
            let alerts = try await app.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }
            #expect(alerts.map(\.kind) == [.reconciliationMismatch] && alerts.first?.entityId == stored.id)
            #expect(alerts.first?.details.contains(#""problem":"payment_after_end""#) == true)
            #expect(alerts.first?.details.contains(#""cancelledAtBank":true"#) == true)

            // Storing the bank's answer on the ended transfer directly is refused too.
            let revived = try await app.services.database.withConnection { db in
                try await TransactionRepository.recordInitiation(id: stored.id, paymentId: "p-late", scaRedirect: "https://bank.example/sca",
                                                                 at: Date(), on: db)
            }
            #expect(!revived)
            #expect(try await Self.onlyTransfer(app).scaRedirect == nil)
        }
    }

    /// A bank that doesn't keep request ids makes a second payment when the initiation is sent again
    /// (by an attempt that read the transfer before the first stored its answer). Only the payment Drop
    /// recorded is followed and handed out; the second is cancelled, so Kari can't approve both.
    @Test func aSecondPaymentForOneTransferIsCancelledAndNeverHandedOut() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let attempt = try await Self.attempt(app, kari)
            let first = try await Self.send(app, attempt, key: "twice")
            let stored = try await Self.onlyTransfer(app)
            let recorded = try #require(stored.paymentId)

            await parties.bank.ignoreRequestIds()
            // The transfer as an attempt read it before the first stored the bank's answer.
            let database = app.services.database
            try await database.run("UPDATE transactions SET pisp_payment_id = NULL, sca_redirect = NULL WHERE id = \(bind: stored.id)")
            let asOfBefore = try #require(try await database.withConnection { try await TransactionRepository.bankPayment(id: stored.id, on: $0) })
            try await database.run("""
                UPDATE transactions SET pisp_payment_id = \(bind: recorded), sca_redirect = \(bind: stored.scaRedirect) WHERE id = \(bind: stored.id)
                """)
            let again = try await app.services.paymentInitiation.start(asOfBefore)
            #expect(again.paymentId == recorded && again.scaRedirect == first.scaRedirect)
            let payments = await parties.bank.paymentStatuses(endToEndId: stored.endToEndId)
            #expect(payments.count == 2)
            #expect(payments.first { $0.id == recorded }?.status == "RCVD")
            #expect(payments.first { $0.id != recorded }?.status == "CANC")
            #expect(try await Self.onlyTransfer(app).paymentId == recorded)
            let alerts = try await app.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }
            #expect(alerts.count == 1)
        }
    }

    /// The bank's answer sends the customer somewhere that isn't the bank's https page. It is not
    /// handed out, nor stored: the answer is unreadable, and as the bank may have made the payment,
    /// the transfer stays unknown (`pending_sca`, its key kept) until the bank answers properly.
    @Test func aBankAnswerWithAForeignApprovalPageIsNeverHandedOut() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let attempt = try await Self.attempt(app, kari)
            await parties.bank.answerSCAPages(at: "http://bank-login.example")
            await #expect(throws: ProviderError.self) { try await Self.send(app, attempt, key: "foreign") }
            let stored = try await Self.onlyTransfer(app)
            #expect(stored.status == "pending_sca" && stored.key == "foreign" && stored.paymentId == nil && stored.scaRedirect == nil)
            let made = await parties.bank.paymentStatuses(endToEndId: stored.endToEndId)
            #expect(made.count == 1)

            // Over HTTP the customer is told to try again (503 with Retry-After), never a 500: the
            // payment may exist, so the retry goes with the same key.
            let overHTTP = try await TransfersRouterTests.send(app, kari, amountMinor: 20_000, key: "foreign-http")
            #expect(overHTTP.status == .serviceUnavailable)

            // The bank answers with its own page again: the retry gets the payment it made.
            await parties.bank.answerSCAPages(at: nil)
            let retried = try await Self.send(app, attempt, key: "foreign")
            #expect(retried.transaction.id == stored.id)
            #expect(retried.scaRedirect == "https://dnb.bank.test/sca/payments/\(try #require(made.first?.id))")
        }
    }
}
