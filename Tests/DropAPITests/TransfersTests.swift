import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Remittance transfers over HTTP: quote, idempotent create, SCA at the bank, status")
struct TransfersTests {
    static let kari = "15039010043"

    /// Kari, KYC-approved, DNB linked, today's rates, a recipient in Poland.
    struct Sender {
        let auth: (String, String)
        let accountId: String
        let accountNumber: String
        let recipientId: String
    }

    static func sender(_ server: LiveServer) async throws -> Sender {
        let auth = try await KYCTests.onboardAndVerify(server, kari).auth
        _ = try await server.connectBank("dnb", auth: auth, as: kari)
        try await server.refreshExchangeRates()
        let accounts = try await server.get("/v1/bank-accounts", headers: [auth]).decode(DropKit.Page<BankAccount>.self).items
        let account = try #require(accounts.first { $0.balance?.amountMinor == 4_235_000 })
        let recipient = try await server.call(.POST, "/v1/recipients", RecipientsTests.poland, auth: auth)
        #expect(recipient.status == 201)
        return Sender(auth: auth, accountId: account.id, accountNumber: try #require(account.bban),
                      recipientId: try recipient.decode(Recipient.self).id)
    }

    static func send(_ server: LiveServer, _ sender: Sender, key: String, body: String) async throws -> LiveServer.Reply {
        try await server.request(.POST, "/v1/transactions/remittance",
                                 headers: [sender.auth, ("content-type", "application/json"), ("Idempotency-Key", key)], body: body)
    }

    /// 1,000 kr to the sender's recipient in Poland at today's price, sent under `key`: waiting for approval at the bank.
    static func sendToPoland(_ server: LiveServer, _ sender: Sender, key: String) async throws -> TransactionCreated {
        let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: sender.auth)
        let body = #"{"recipientId":"\#(sender.recipientId)","quoteId":"\#(try quote.decode(Quote.self).id)","bankAccountId":"\#(sender.accountId)"}"#
        return try await send(server, sender, key: key, body: body).decode(TransactionCreated.self)
    }

    static func transactionCount(_ server: LiveServer) async throws -> Int {
        try await server.services.database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM transactions").first()!.decode(column: "n", as: Int.self) }
    }

    @Test func kariSendsMoneyToPolandAndApprovesAtHerBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
            let quoteId = try quote.decode(Quote.self).id
            let body = #"{"recipientId":"\#(kari.recipientId)","quoteId":"\#(quoteId)","bankAccountId":"\#(kari.accountId)","message":"Til mamma"}"#

            let created = try await Self.send(server, kari, key: "k-1", body: body)
            #expect(created.status == 201)
            let answer = try created.decode(TransactionCreated.self)
            let transaction = answer.transaction
            let id = transaction.id
            #expect(transaction.status == .pendingSCA)
            #expect(transaction.fee.amountMinor == 500 && transaction.total.amountMinor == 100_500)
            #expect(transaction.receive?.currency == "PLN")
            let sca = try #require(answer.scaRedirect).absoluteString

            // A retry with the same key and body gets the same answer and creates nothing.
            let replay = try await Self.send(server, kari, key: "k-1", body: body)
            #expect(replay.status == 201 && replay.body == created.body && replay.headers.first(name: "idempotent-replayed") == "true")
            #expect(try await Self.transactionCount(server) == 1)
            // The same key with another body is refused.
            let other = try await Self.send(server, kari, key: "k-1", body: body.replacingOccurrences(of: "Til mamma", with: "Til pappa"))
            #expect(other.status == 422 && other.errorCode == "IDEMPOTENCY_KEY_REUSED")

            // The bank shows the partner and the total; Kari approves; the money leaves her account.
            let page = try await server.get(sca)
            #expect(page.body.contains("Drop Payout Partner AS") && page.body.contains("1005,00 NOK"))
            let back = try await server.approveAtBank(sca, as: Self.kari)
            let callback = try await server.get(try #require(back.location))
            #expect(callback.location == "/transactions/\(id)")
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000 - 100_500)

            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .processing)
            #expect(detail.history?.map(\.status) == [.pendingSCA, .processing])
            #expect(detail.scaRedirect == nil)
            let list = try await server.get("/v1/transactions?status=processing", headers: [kari.auth]).decode(DropKit.Page<DropKit.Transaction>.self)
            #expect(list.items.map(\.id) == [id])
            #expect(try await server.get("/v1/transactions?status=completed", headers: [kari.auth]).decode(DropKit.Page<DropKit.Transaction>.self).items.isEmpty)
            let receipt = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth, ("accept-language", "en")])
            #expect(receipt.status == 200 && receipt.body.contains("<dt>Recipient</dt><dd><bdi>Zofia Wójcik</bdi></dd>") && receipt.body.contains("NOK 1,005.00"))

            // Someone else sees none of it.
            let ola = try await server.bearer("01078510133")
            #expect(try await server.get("/v1/transactions/\(id)", headers: [ola]).status == 404)
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// The page the bank sends the payer back to is public, the id its only key: it asks the bank
    /// while the payment is open there, and once the money has left the account, reloading it (or
    /// anyone calling it in a loop) asks the bank nothing more; the reconciler follows what is left.
    @Test func theBanksReturnPageAsksTheBankOnlyWhileThePaymentIsOpenThere() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let created = try await Self.sendToPoland(server, kari, key: "k-return")
            let sca = try #require(created.scaRedirect).absoluteString
            let back = try #require(try await server.approveAtBank(sca, as: Self.kari).location)
            let bank = server.sandboxes.faults.bank
            let before = bank.requestCount
            #expect(try await server.get(back).location == "/transactions/\(created.transaction.id)")
            #expect(bank.requestCount > before)
            let settled = try await server.services.database.withConnection {
                try await $0.raw("SELECT funds_received_at FROM transactions").first()!.decode(column: "funds_received_at", as: Date?.self)
            }
            #expect(settled != nil)
            let asked = bank.requestCount
            for _ in 1...3 { _ = try await server.get(back) }
            #expect(bank.requestCount == asked)
        }
    }

    /// A payment still waiting for approval: its public return page asks the bank once every few seconds
    /// however often it is loaded, from however many addresses.
    @Test func theReturnPageOfAnOpenPaymentAsksTheBankOnceInAFewSeconds() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let created = try await Self.sendToPoland(server, kari, key: "k-open-return")
            let back = "/v1/transactions/\(created.transaction.id)/sca-callback"
            let bank = server.sandboxes.faults.bank
            let before = bank.requestCount
            for _ in 1...5 { #expect(try await server.get(back).location == "/transactions/\(created.transaction.id)") }
            #expect(bank.requestCount == before + 1)
            server.clock.advance(server.services.transactions.returnPageAsks.interval)
            _ = try await server.get(back)
            #expect(bank.requestCount == before + 2)
        }
    }

    /// Behind our own proxy the bank is told the customer's address (PSU-IP-Address), not the proxy's,
    /// and never an address the caller claims for itself.
    @Test func theBankIsToldTheClientsAddressBehindTrustedProxies() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: ["TRUST_FORWARDED_FOR": "true"]) { server in
            let kari = try await Self.sender(server)
            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
            let quoteId = try quote.decode(Quote.self).id
            let body = #"{"recipientId":"\#(kari.recipientId)","quoteId":"\#(quoteId)","bankAccountId":"\#(kari.accountId)","message":"Til mamma"}"#
            let created = try await server.request(.POST, "/v1/transactions/remittance", headers: [
                kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "k-ip"),
                ("x-forwarded-for", "192.0.2.66, 2001:db8::7"),  // the left one is the client's own claim
            ], body: body)
            #expect(created.status == 201)
            let stored = try await server.services.database.withConnection {
                try await $0.raw("SELECT psu_ip_address FROM transactions").first()!.decode(column: "psu_ip_address", as: String.self)
            }
            #expect(stored == "2001:db8::7")
        }
    }

    @Test func refusalsCreateNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            func body(amount: Int64? = nil, quote: String? = nil, recipient: String? = nil) -> String {
                let money = quote.map { #""quoteId":"\#($0)""# } ?? #""amountMinor":\#(amount ?? 100_000)"#
                return #"{"recipientId":"\#(recipient ?? kari.recipientId)",\#(money),"bankAccountId":"\#(kari.accountId)"}"#
            }
            let noKey = try await server.request(.POST, "/v1/transactions/remittance", headers: [kari.auth, ("content-type", "application/json")], body: body())
            #expect(noKey.status == 400)
            #expect(try await Self.send(server, kari, key: "a", body: body(amount: 5_000_001)).errorCode == "LIMIT_EXCEEDED")
            #expect(try await Self.send(server, kari, key: "b", body: body(amount: 9_999)).errorCode == "LIMIT_EXCEEDED")
            let stranger = try await Self.send(server, kari, key: "c", body: body(recipient: UUID().uuidString.lowercased()))
            #expect(stranger.status == 422 && stranger.issue("recipientId") == "not_found")

            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
            let quoteId = try quote.decode(Quote.self).id
            server.clock.advance(16 * 60)
            #expect(try await Self.send(server, kari, key: "d", body: body(quote: quoteId)).errorCode == "QUOTE_EXPIRED")
            #expect(try await Self.transactionCount(server) == 0)

            // Not KYC-approved: no transfers.
            let ola = try await server.bearer("01078510133")
            let refused = try await server.request(.POST, "/v1/transactions/remittance",
                                                   headers: [ola, ("content-type", "application/json"), ("Idempotency-Key", "e")], body: body())
            #expect(refused.status == 403 && refused.errorCode == "KYC_REQUIRED")
            #expect(try await Self.transactionCount(server) == 0)
        }
    }

    /// PostgreSQL refuses a NUL in text: the message is refused as typed (422 on the field), before
    /// anything is written or asked of the bank, not by the database as a 500.
    @Test(arguments: [#"Til\u0000mamma"#, #"Til\nmamma"#])
    func aMessageWithAControlCharacterIsRefusedAndCreatesNothing(message: String) async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":100000,"bankAccountId":"\#(kari.accountId)","message":"\#(message)"}"#
            let refused = try await Self.send(server, kari, key: "nul", body: body)
            #expect(refused.status == 422)
            #expect(refused.issue("message") == "format")
            #expect(try await Self.transactionCount(server) == 0)
        }
    }

    /// A recipient saved before cross-border names had to be in Latin letters (Polish zloty go over
    /// SWIFT, under CBPR+): refused before anything is written or asked of the bank, not failed at
    /// payout after the money left the payer's account.
    @Test func aRecipientWhoseNameItsRailCantCarryIsRefusedBeforeMoneyMoves() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE recipients SET name = \(bind: "Зофія Вуйцік") WHERE id = \(bind: kari.recipientId)").run()
            }
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":100000,"bankAccountId":"\#(kari.accountId)"}"#
            let refused = try await Self.send(server, kari, key: "cyrillic", body: body)
            #expect(refused.status == 422 && refused.issue("recipientId") == "characters")
            #expect(try await Self.transactionCount(server) == 0)
            #expect(try server.bankSandboxPayments().isEmpty)
        }
    }

    @Test func cancelBeforeApprovalAndExpiryAfterFifteenMinutes() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            let first = try await Self.send(server, kari, key: "one", body: body)
            let firstCreated = try first.decode(TransactionCreated.self)
            let firstId = firstCreated.transaction.id
            let cancelled = try await server.request(.POST, "/v1/transactions/\(firstId)/cancel", headers: [kari.auth])
            #expect(try cancelled.status == 200 && cancelled.decode(DropKit.Transaction.self).status == .cancelled)
            // Asked again (its first answer lost), the same answer: nothing will be paid.
            let again = try await server.request(.POST, "/v1/transactions/\(firstId)/cancel", headers: [kari.auth])
            #expect(try again.status == 200 && again.decode(DropKit.Transaction.self).status == .cancelled)
            // The bank no longer lets anyone approve it.
            #expect(try await server.get(try #require(firstCreated.scaRedirect).absoluteString).status == 404)

            let second = try await Self.send(server, kari, key: "two", body: body)
            let secondId = try second.decode(TransactionCreated.self).transaction.id
            // The bank's own timeout rejection (a webhook) must not race Drop's expiry here.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(16 * 60)
            #expect(try await server.services.transactions.expireOverdue() == 1)
            let expired = try await server.get("/v1/transactions/\(secondId)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(expired.status == .expired)
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000)
        }
    }

    /// Drop's expiry cancels at the bank, and the bank's report of that cancellation may be applied
    /// before Drop writes the expiry: the customer still reads "not approved in time", not that
    /// their bank cancelled it.
    @Test func anExpiryWhoseBankReportArrivesFirstStillEndsExpired() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            let id = try await Self.send(server, kari, key: "late", body: body).decode(TransactionCreated.self).transaction.id
            server.sandboxes.faults.bank.webhooksHeld = true
            // Drop's window has just closed; the bank's own timeout (which would reject it) not yet.
            server.clock.advance(15 * 60)
            let payment = try #require(try await server.services.database.withConnection { try await TransactionRepository.bankPayment(id: id, on: $0) })
            // What expireOverdue does first: the bank accepts the cancellation ...
            #expect(try await server.services.transactions.bankPayments.cancel(payment))
            // ... and its CANC webhook lands before Drop's own write.
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            let expired = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(expired.status == .expired)
            #expect(expired.history?.last?.reason == "The payment was not approved in time.")
            server.clock.advance(60)
            #expect(try await server.services.transactions.expireOverdue() == 0)
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000)
        }
    }

    @Test func aCancelWhoseBankReportArrivesFirstStillAnswersCancelled() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            let created = try await Self.send(server, kari, key: "race", body: body)
            let id = try created.decode(TransactionCreated.self).transaction.id
            // The bank cancels, then answers late: its CANC webhook is applied before Drop hears back.
            server.sandboxes.faults.bank.failNext(1, with: .lateAnswer(.seconds(2)))
            let cancelled = try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth])
            #expect(try cancelled.status == 200 && cancelled.decode(DropKit.Transaction.self).status == .cancelled)
            let history = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self).history ?? []
            // One cancellation, and it was the bank's report that won the race.
            #expect(history.filter { $0.status == .cancelled }.map(\.reason) == ["The bank cancelled the payment before it was made."])
        }
    }

    @Test func aBankThatIsDownLeavesTheTransferForTheRetryWithTheSameKey() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            server.sandboxes.faults.bank.fault = .unavailable
            let down = try await Self.send(server, kari, key: "retry-me", body: body)
            #expect(down.status == 503 && down.errorCode == "PROVIDER_UNAVAILABLE")
            // Whether the bank made the payment is unknown, so the transfer waits with its request id
            // (nothing is failed on a guess, nothing is paid twice).
            let waiting = try await server.get("/v1/transactions", headers: [kari.auth]).decode(DropKit.Page<DropKit.Transaction>.self).items
            #expect(waiting.count == 1 && waiting.first?.status == .pendingSCA && waiting.first?.scaRedirect == nil)

            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down
            // Another request under the key is refused, not handed the first transfer: it asked for
            // another amount (or recipient), and that transfer's bank page would charge the first's.
            for other in [body.replacingOccurrences(of: "20000", with: "90000"), body.replacingOccurrences(of: kari.accountId, with: "another-account")] {
                let reused = try await Self.send(server, kari, key: "retry-me", body: other)
                #expect(reused.status == 422 && reused.errorCode == "IDEMPOTENCY_KEY_REUSED", "\(reused.body)")
            }
            let retried = try await Self.send(server, kari, key: "retry-me", body: body)
            #expect(retried.status == 201)
            #expect(try retried.decode(TransactionCreated.self).transaction.id == waiting.first?.id)
            #expect(try await Self.transactionCount(server) == 1)
        }
    }

    @Test func twentyCopiesOfOneRequestMakeOneTransferAndOnePayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":30000,"bankAccountId":"\#(kari.accountId)"}"#
            let bankCalls = server.sandboxes.faults.bank.requestCount
            let replies = try await withThrowingTaskGroup(of: LiveServer.Reply.self) { group in
                for _ in 0..<20 { group.addTask { try await Self.send(server, kari, key: "same-key", body: body) } }
                return try await group.reduce(into: [LiveServer.Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 201 })
            #expect(Set(replies.map(\.body)).count == 1)
            #expect(try await Self.transactionCount(server) == 1)
            #expect(server.sandboxes.faults.bank.requestCount - bankCalls == 1)  // one payment initiation
        }
    }

    @Test func twoTransfersRacingForTheLastOfTheDailyLimitCannotBothPass() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            #expect(try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":150000,"currency":"NOK"}}"#, auth: kari.auth).status == 200)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":100000,"bankAccountId":"\#(kari.accountId)"}"#
            async let first = Self.send(server, kari, key: "race-1", body: body)
            async let second = Self.send(server, kari, key: "race-2", body: body)
            let statuses = try await [first, second].map(\.status).sorted()
            #expect(statuses == [201, 422])
            #expect(try await Self.transactionCount(server) == 1)
        }
    }

    @Test func anOpenBreakerRefusesAtOnceAndWritesNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            // The bank fails a balance refresh three times: its breaker opens.
            server.sandboxes.faults.bank.fault = .serverError
            _ = try await server.request(.POST, "/v1/bank-accounts/\(kari.accountId)/refresh", headers: [kari.auth])
            #expect(await server.services.openBanking.wrapped.breakerSnapshot(for: "dnb").state == .open)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            let refused = try await Self.send(server, kari, key: "open", body: body)
            #expect(refused.status == 503 && refused.errorCode == "PROVIDER_UNAVAILABLE" && refused.headers.first(name: "retry-after") != nil)
            #expect(try await Self.transactionCount(server) == 0)
        }
    }

    @Test func aLargeFirstTransferToANewRecipientIsHeldForReviewWithoutAskingTheBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let bankCalls = server.sandboxes.faults.bank.requestCount
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":3000000,"bankAccountId":"\#(kari.accountId)"}"#
            let held = try await Self.send(server, kari, key: "big", body: body)
            #expect(held.status == 201)
            let answer = try held.decode(TransactionCreated.self)
            #expect(answer.transaction.status == .held && answer.scaRedirect == nil)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)  // no payment asked for
            let alert = try await server.services.database.withConnection { db in
                try await db.raw("SELECT rule, score, status, details FROM aml_alerts WHERE transaction_id = \(bind: answer.transaction.id)").first()
            }
            #expect(try alert?.decode(column: "status", as: String.self) == "open")
            #expect(try (alert?.decode(column: "score", as: Int.self) ?? 0) >= AMLConfiguration().holdScore)
            let details = try alert?.decode(column: "details", as: String.self) ?? ""
            #expect(details.contains("large_amount") && details.contains("new_recipient_large_amount") && !details.contains("Zofia"))
            let history = try await server.get("/v1/transactions/\(answer.transaction.id)", headers: [kari.auth]).decode(DropKit.Transaction.self).history
            #expect(history?.map(\.status) == [.pendingSCA, .held])
        }
    }
}
