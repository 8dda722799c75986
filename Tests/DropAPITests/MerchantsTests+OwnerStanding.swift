import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A business takes payments only while its owner could: a later Sumsub verdict against the owner
/// stops them at once, in the API, the app's lookup and the pay page.
extension MerchantsTests {
    @Test func aMerchantWhoseOwnerIsLaterFoundSanctionedTakesNoPayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            // Sumsub's ongoing monitoring: Mona is now a sanctions hit, rejected for good.
            let verdict = try await KYCTests.deliverReview(server, userId: try await server.userId(mona.auth), answer: "RED",
                                                           labels: ["SANCTIONS"], rejectType: "FINAL")
            #expect(verdict.status == 200)
            #expect(try await KYCTests.status(server, mona.auth).status == .rejected)

            let (transactions, bankCalls) = (try await Self.count(server, "transactions"), server.sandboxes.faults.bank.requestCount)
            let refused = try await Self.pay(server, kari.auth, key: "to-sanctioned", Self.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            #expect(refused.status == 409 && refused.errorCode == "MERCHANT_UNAVAILABLE" && refused.issue("merchantCode") == "unavailable")
            // The payer is told only that it can't be paid, never why.
            #expect(!refused.body.lowercased().contains("sanction"))
            // Nothing written, nothing asked of the bank, nothing paid to her account.
            #expect(try await Self.count(server, "transactions") == transactions)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.isEmpty)

            // The app's lookup says so before offering to pay.
            let lookup = try await server.get("/v1/merchants/\(mona.code)")
            #expect(lookup.status == 409 && lookup.errorCode == "MERCHANT_UNAVAILABLE")
            // The pay page shows the shop as unavailable: no form, no mark of a checked owner, and its confirm is refused too.
            let web = try await server.webSession(Self.kari)
            let page = try await server.get("/pay/\(mona.code)", headers: [web])
            #expect(page.status == 409 && page.body.contains("Denne bedriften kan ikke ta imot betalinger nå."))
            #expect(!page.body.contains(#"action="/pay/"#) && !page.body.contains("Eierens identitet er sjekket"))
            let anonymous = try await server.get("/pay/\(mona.code)")
            #expect(anonymous.status == 409 && !anonymous.body.contains("/v1/auth/bankid/start"))
            let confirm = try await server.postForm("/pay/\(mona.code)", [("amount", "45"), ("bankAccountId", kari.accountId),
                                                                           ("idempotencyKey", "web-to-sanctioned")],
                                                    headers: [web, ("origin", server.baseURL)])
            #expect(confirm.status == 409 && confirm.body.contains("Denne bedriften kan ikke ta imot betalinger nå."))
            #expect(try await Self.count(server, "transactions") == transactions)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
        }
    }

    @Test func aPaymentWaitingForApprovalWhenTheOwnerLosesStandingIsCancelledAtTheBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let paid = try await Self.pay(server, kari.auth, key: "before-verdict", Self.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            #expect(paid.status == 201, "\(paid.body)")
            let created = try paid.decode(TransactionCreated.self)
            let sca = try #require(created.scaRedirect?.absoluteString)
            // While Mona may take payments, a payment waiting for Kari's approval is left alone.
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 0)

            let verdict = try await KYCTests.deliverReview(server, userId: try await server.userId(mona.auth), answer: "RED",
                                                           labels: ["SANCTIONS"], rejectType: "FINAL")
            #expect(verdict.status == 200)
            // The worker's next run cancels it at Kari's bank before she approves it. (The bank's own report of
            // the cancellation is held back, so that it can't be applied first and name the bank as the reason.)
            server.sandboxes.faults.bank.webhooksHeld = true
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 1)
            let payment = try await server.get("/v1/transactions/\(created.transaction.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(payment.status == .cancelled)
            #expect(payment.history?.last?.reason.contains("can no longer take payments") == true)
            #expect(payment.history?.contains { $0.reason.lowercased().contains("sanction") } == false)
            // Cancelled at Kari's bank: her approval can no longer make it, and nothing reaches Mona's account.
            let bank = try #require(server.sandboxes.bank)
            let record = try await server.services.database.withConnection { db in
                try await TransactionRepository.bankPayment(id: created.transaction.id, on: db)
            }
            let bankPaymentId = try #require(record?.paymentId)
            #expect(await bank.payments().first { $0.id == bankPaymentId }?.status == "CANC")
            _ = try? await server.approveAtBank(sca, as: Self.kari)
            #expect(await bank.payments().first { $0.id == bankPaymentId }?.status == "CANC")
            #expect(await bank.executedPayment(to: mona.settlementAccount, endToEndId: payment.endToEndId) == nil)
            // A second run finds nothing more to do.
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 0)
        }
    }

    /// A hundred payments waiting for approval to a shop that lost its standing, which the bank can't cancel
    /// or report on (it doesn't know them), stay as they are; a newer one is still cancelled within two runs, as
    /// each try goes behind the others (`bank_checked_at`).
    @Test func paymentsTheBankCantCancelDontKeepANewerOneWaiting() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let paid = try await Self.pay(server, kari.auth, key: "newer", Self.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            let newer = try paid.decode(TransactionCreated.self).transaction.id
            let earlier = server.clock.date.addingTimeInterval(-3600)
            try await server.services.database.withConnection { db in
                for n in 0..<100 {
                    try await db.raw("""
                        INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, merchant_id, end_to_end_id,
                                                  bank_account_id, bank_request_id, pisp_payment_id, bank_product, psu_ip_address, sca_expires_at, created_at, updated_at)
                        SELECT \(bind: "stuck-\(n)"), user_id, kind, status, amount_minor, currency, fee_minor, total_minor, merchant_id, \(bind: "STUCK\(n)"), bank_account_id,
                               \(bind: "req-stuck-\(n)"), \(bind: "pay-stuck-\(n)"), bank_product, psu_ip_address, sca_expires_at, \(bind: earlier), \(bind: earlier)
                        FROM transactions WHERE id = \(bind: newer)
                        """).run()
                }
            }
            let verdict = try await KYCTests.deliverReview(server, userId: try await server.userId(mona.auth), answer: "RED",
                                                           labels: ["SANCTIONS"], rejectType: "FINAL")
            #expect(verdict.status == 200)
            server.sandboxes.faults.bank.webhooksHeld = true
            for _ in 0..<2 { _ = try await server.services.transactions.withdrawWithoutStanding() }
            #expect(try await server.get("/v1/transactions/\(newer)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .cancelled)
            let stuck = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM transactions WHERE id LIKE 'stuck-%' AND status = 'pending_sca'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stuck == 100)
        }
    }
}
