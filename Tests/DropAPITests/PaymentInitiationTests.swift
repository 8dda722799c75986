import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Payment initiation and the open-banking webhook over HTTP")
struct PaymentInitiationTests {
    static let kari = "15039010043"
    /// A valid Norwegian account number no sandbox person holds (the payout partner's, say).
    static let partnerAccount = "12345678903"

    /// Kari with DNB linked; her Brukskonto (42 350,00 NOK) and her user id.
    static func kariWithDNB(_ server: LiveServer) async throws -> (auth: (String, String), userId: String, account: BankAccountRecord) {
        let auth = try await server.bearer(kari)
        _ = try await server.connectBank("dnb", auth: auth, as: kari)
        let userId = try await server.get("/v1/me", headers: [auth]).decode(DropKit.User.self).id
        let account = try #require(try await server.services.database.withConnection { try await BankAccountRepository.all(userId: userId, on: $0) }
            .first { $0.balanceMinor == 4_235_000 })
        return (auth, userId, account)
    }

    /// Initiates a payment through `PaymentInitiation` and records the transaction it pays for.
    static func pay(_ server: LiveServer, userId: String, from account: BankAccountRecord, minor: Int64) async throws -> (transactionId: String, sca: String) {
        let transactionId = UUID().uuidString.lowercased()
        let started = try await server.services.paymentInitiation.initiate(.init(
            debtor: account, amount: Money(minorUnits: minor, currency: .nok), creditor: .bban(partnerAccount),
            creditorName: "Drop Payout AS", endToEndId: "E2E-\(transactionId.prefix(8))", message: "Drop transfer",
            returnURL: server.baseURL + "/v1/transactions/\(transactionId)/sca-callback", psuIPAddress: "127.0.0.1",
            requestId: UUID().uuidString.lowercased()))
        #expect(started.product == .norwegianDomesticCreditTransfers)
        let now = server.clock.date
        try await server.services.database.transaction { db in
            let recipientId = UUID().uuidString.lowercased()
            try await db.raw("""
                INSERT INTO recipients (id, user_id, name, country, currency, iban, created_at, updated_at)
                VALUES (\(bind: recipientId), \(bind: userId), 'Anna Kowalska', 'PL', 'PLN', 'PL61109010140000071219812874', \(bind: now), \(bind: now))
                """).run()
            try await db.raw("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id,
                                          bank_account_id, end_to_end_id, pisp_payment_id, created_at, updated_at)
                VALUES (\(bind: transactionId), \(bind: userId), 'remittance', 'pending_sca', \(bind: minor), 'NOK', 0, \(bind: minor),
                        \(bind: recipientId), \(bind: account.id), \(bind: "E2E-\(transactionId.prefix(8))"), \(bind: started.paymentId),
                        \(bind: now), \(bind: now))
                """).run()
        }
        return (transactionId, started.scaRedirect)
    }

    /// The transaction's stored failure reason and the reason its last move was recorded with.
    static func outcome(_ server: LiveServer, _ transactionId: String) async throws -> (failure: String?, lastMove: String?) {
        try await server.services.database.withConnection { db in
            (try await db.raw("SELECT failure_reason FROM transactions WHERE id = \(bind: transactionId)").first()?
                .decode(column: "failure_reason", as: String?.self),
             try await db.raw("SELECT reason FROM transaction_events WHERE transaction_id = \(bind: transactionId) ORDER BY at DESC, to_status")
                .first()?.decode(column: "reason", as: String.self))
        }
    }

    static func status(_ server: LiveServer, _ transactionId: String) async throws -> String? {
        try await server.services.database.withConnection { try await TransactionStatusRepository.find(id: transactionId, on: $0)?.status.rawValue }
    }

    static func bankBalance(_ server: LiveServer, _ account: BankAccountRecord) async -> Int64? {
        await server.sandboxes.bank?.balanceMinorUnits(ofAccount: account.bban ?? "")
    }

    @Test func anApprovedPaymentShowsPayeeAndAmountMovesMoneyAndReachesTheTransfer() async throws {
        try await LiveServer.run { server in
            let kari = try await Self.kariWithDNB(server)
            let payment = try await Self.pay(server, userId: kari.userId, from: kari.account, minor: 123_450)
            let page = try await server.get(payment.sca)
            #expect(page.body.contains("Drop Payout AS") && page.body.contains("1234,50 NOK") && page.body.contains("1234.56.78903"))

            // Someone else can't approve Kari's payment; Kari can.
            #expect(try await server.approveAtBank(payment.sca, as: "01078510133").status == 403)
            let back = try await server.approveAtBank(payment.sca, as: Self.kari)
            #expect(back.location == server.baseURL + "/v1/transactions/\(payment.transactionId)/sca-callback")
            #expect(await Self.bankBalance(server, kari.account) == 4_235_000 - 123_450)

            // The bank's signed webhooks move the transfer: approved, on its way.
            try await server.eventually("the bank's webhook") { try await Self.status(server, payment.transactionId) == "processing" }
            try await server.eventually("every webhook acknowledged") { await server.sandboxes.bank?.undeliveredWebhookCount == 0 }
            let history = try await server.services.database.withConnection { db in
                try await db.raw("SELECT from_status, to_status FROM transaction_events WHERE transaction_id = \(bind: payment.transactionId)").all()
                    .map { "\(try $0.decode(column: "from_status", as: String.self))→\(try $0.decode(column: "to_status", as: String.self))" }
            }
            #expect(history == ["pending_sca→processing"])
            let kinds = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items.map(\.kind)
            #expect(kinds == ["transaction.processing"])

            // Drop's balance follows once refreshed.
            let refreshed = try await server.request(.POST, "/v1/bank-accounts/\(kari.account.id)/refresh", headers: [kari.auth])
            #expect(try refreshed.decode(BankAccount.self).balance?.amountMinor == 4_235_000 - 123_450)
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// Kari presses "Cancel" at her bank: she stopped it, so the transfer is cancelled (not failed), and nothing moved.
    @Test func aPaymentStoppedAtTheBankIsCancelledAndMovesNothing() async throws {
        try await LiveServer.run { server in
            let kari = try await Self.kariWithDNB(server)
            let payment = try await Self.pay(server, userId: kari.userId, from: kari.account, minor: 50_000)
            let back = try await server.approveAtBank(payment.sca, as: Self.kari, decision: "deny")
            #expect(back.location == server.baseURL + "/v1/transactions/\(payment.transactionId)/sca-callback?result=nok")
            try await server.eventually("the bank's webhook") { try await Self.status(server, payment.transactionId) == "cancelled" }
            #expect(await Self.bankBalance(server, kari.account) == 4_235_000)
            let (reason, history) = try await Self.outcome(server, payment.transactionId)
            #expect(reason == nil && history == "You stopped the payment at your bank. No money has moved.")
            // Asking the bank again (the reconciler's read) agrees and changes nothing.
            let record = try #require(try await server.services.database.withConnection { try await TransactionRepository.bankPayment(id: payment.transactionId, on: $0) })
            _ = try await server.services.bankPayments.refreshStatus(record)
            #expect(try await Self.status(server, payment.transactionId) == "cancelled")
        }
    }

    /// Approved, but the account can't cover it: the bank rejects it for want of money (AM04), and Drop says so.
    @Test func aPaymentTheAccountCannotCoverFailsAndSaysWhy() async throws {
        try await LiveServer.run { server in
            let kari = try await Self.kariWithDNB(server)
            let payment = try await Self.pay(server, userId: kari.userId, from: kari.account, minor: 4_235_001)
            _ = try await server.approveAtBank(payment.sca, as: Self.kari)
            try await server.eventually("the bank's webhook") { try await Self.status(server, payment.transactionId) == "failed" }
            #expect(await Self.bankBalance(server, kari.account) == 4_235_000)
            let (reason, history) = try await Self.outcome(server, payment.transactionId)
            #expect(reason == "bank:RJCT:AM04" && history == "There was not enough money in the account. No money has moved.")
        }
    }

    @Test func forgedStaleAndReplayedWebhooksChangeNothing() async throws {
        try await LiveServer.run { server in
            let kari = try await Self.kariWithDNB(server)
            let payment = try await Self.pay(server, userId: kari.userId, from: kari.account, minor: 20_000)
            let paymentId = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT pisp_payment_id FROM transactions WHERE id = \(bind: payment.transactionId)").first()?
                    .decode(column: "pisp_payment_id", as: String.self)
            })
            let secret = server.services.config.secrets.openBankingWebhookSecret
            func send(_ body: String, signedWith key: String? = nil, at date: Date? = nil) async throws -> Int {
                var headers = [("content-type", "application/json")]
                if let key { headers.append(("X-Drop-Signature", OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: key, timestamp: date ?? server.clock.date))) }
                return try await server.request(.POST, "/v1/webhooks/open-banking", headers: headers, body: body).status
            }
            let rejected = #"{"eventId":"evt-1","paymentId":"\#(paymentId)","transactionStatus":"RJCT","occurredAt":"2026-11-27T10:00:00Z"}"#

            #expect(try await send(rejected) == 401)
            #expect(try await send(rejected, signedWith: "not-the-secret") == 401)
            #expect(try await send(rejected, signedWith: secret, at: server.clock.date.addingTimeInterval(-301)) == 401)
            #expect(try await Self.status(server, payment.transactionId) == "pending_sca")
            let stored = { try await server.services.database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM webhook_events").first()!.decode(column: "n", as: Int.self) } }
            #expect(try await stored() == 0)

            // Garbage that is correctly signed is refused as such; an unknown payment is for the bank to retry.
            #expect(try await send("{}", signedWith: secret) == 400)
            #expect(try await send(#"{"eventId":"evt-2","paymentId":"nope","transactionStatus":"ACSC"}"#, signedWith: secret) == 404)

            // A genuine report applies once; its replay is acknowledged and ignored.
            #expect(try await send(rejected, signedWith: secret) == 200)
            #expect(try await Self.status(server, payment.transactionId) == "failed")
            #expect(try await send(rejected, signedWith: secret) == 200)
            #expect(try await stored() == 1)
            let events = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM transaction_events WHERE transaction_id = \(bind: payment.transactionId)").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(events == 1)
        }
    }
}
