import DropCore
import DropKit
import DropProviderFakes
import DropProviders
import DropStore
import DropTestTools
import Foundation
import HTTPTypes
import Testing
@testable import DropAPI

/// A transfer at the router with every party in memory: Kari verified, her bank linked, today's
/// rate, a transfer approved at her bank, one her account can't cover, and the payouts: one paid,
/// one the partner rejects and whose NOK goes back. The same journey through the sandboxes over
/// HTTP (pain.001 and pain.002 on the wire) is `TransfersTests` and `PayoutTests`.
@Suite("Transfers at the router, against in-memory parties")
struct TransfersRouterTests {
    struct Parties {
        let bank: InMemoryBank
        let sumsub = InMemoryIdentityVerification()
        let feed = InMemoryRatesFeed()
        let partner: InMemoryPayoutPartner
        var providers: AppServices.Providers {
            .init(identityVerification: sumsub, openBanking: bank, payoutPartner: partner, ratesFeed: feed)
        }

        init(bank: InMemoryBank) {
            self.bank = bank
            self.partner = InMemoryPayoutPartner(bank: bank)
        }
    }

    /// Kari signed in, her identity check approved (the reviewer's verdict by Sumsub's signed
    /// webhook), her DNB accounts linked, today's rates stored and a recipient in Poland.
    static func kariReadyToSend(_ app: RouterApp, _ parties: Parties) async throws -> (auth: HTTPFields, accountId: String, recipientId: String) {
        let kari = try await app.bearer(BankLinkRouterTests.kari)
        try await KYCRouterTests.onboard(app, kari)
        let applicantId = try await app.send(.post, "/v1/kyc/start", nil, kari).decode(KYCStart.self).applicantId
        await parties.sumsub.review(applicantId, SumsubReview(reviewStatus: .completed, reviewResult: SumsubReviewResult(reviewAnswer: .green)))
        let verdict = #"{"applicantId":"\#(applicantId)","type":"applicantReviewed","reviewStatus":"completed","correlationId":"c-1","createdAtMs":"2026-10-14 11:00:00.000","reviewResult":{"reviewAnswer":"GREEN"}}"#
        let digest = SumsubWebhook.digest(rawBody: Array(verdict.utf8), secret: app.services.config.secrets.sumsubWebhookSecret)
        #expect(try await app.post("/v1/webhooks/sumsub", verdict, [HTTPField.Name("X-Payload-Digest")!: digest,
                                                                      HTTPField.Name("X-Payload-Digest-Alg")!: "HMAC_SHA256_HEX"]).status == .ok)
        #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == .approved)

        let (connection, consent) = try await BankLinkRouterTests.connect(app, kari)
        try await parties.bank.approveConsent(consent, as: BankLinkRouterTests.kari)
        _ = try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")
        let accounts = try await app.get("/v1/bank-accounts", kari).decode(DropKit.Page<BankAccount>.self).items
        let account = try #require(accounts.first { $0.balance?.amountMinor == 1_250_000 })

        // Tuesday's rate, fresh on Wednesday.
        try await parties.feed.publish("PLN", nokPerUnit: "2.7480", on: "2026-10-13")
        _ = try await app.services.exchangeRates.refresh(using: app.services.ratesFeed.wrapped)
        let recipient = try await app.post("/v1/recipients", RecipientsTests.poland, kari)
        #expect(recipient.status == .created)
        return (kari, account.id, try recipient.decode(Recipient.self).id)
    }

    static func send(_ app: RouterApp, _ kari: (auth: HTTPFields, accountId: String, recipientId: String), amountMinor: Int64, key: String) async throws -> TestResponseSummary {
        let quote = try await app.post("/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":\#(amountMinor)}"#, kari.auth)
        let quoteId = try quote.decode(DropKit.Quote.self).id
        var headers = kari.auth
        headers[HTTPField.Name("Idempotency-Key")!] = key
        let body = #"{"recipientId":"\#(kari.recipientId)","quoteId":"\#(quoteId)","bankAccountId":"\#(kari.accountId)"}"#
        let created = try await app.post("/v1/transactions/remittance", body, headers)
        let replay = try await app.post("/v1/transactions/remittance", body, headers)
        let answer = try? created.decode(TransactionCreated.self)
        return TestResponseSummary(status: created.status, replayedSame: replay.text == created.text,
                                   id: answer?.transaction.id, sca: answer?.scaRedirect?.absoluteString)
    }

    struct TestResponseSummary {
        let status: HTTPResponse.Status
        let replayedSame: Bool
        let id: String?
        let sca: String?
    }

    @Test func kariApprovesAtHerBankAndAPaymentHerAccountCantCoverFails() async throws {
        let numbers = BankLinkRouterTests.dnbAccount(0)
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)

            // 1 000 kr: the key again is the same transfer, and one payment at the bank.
            let first = try await Self.send(app, kari, amountMinor: 100_000, key: "router-1")
            #expect(first.status == .created && first.replayedSame)
            let id = try #require(first.id)
            let sca = try #require(first.sca)
            let paymentId = String(try #require(sca.split(separator: "/").last))
            let back = try #require(try await parties.bank.approvePayment(paymentId, as: BankLinkRouterTests.kari))
            #expect(try await app.get(RouterApp.pathAndQuery(back)).status == .found)
            let detail = try await app.get("/v1/transactions/\(id)", kari.auth).decode(DropKit.Transaction.self)
            #expect(detail.status == .processing)
            // 1 000 kr and the 0.5 % fee left her account, once.
            #expect(await parties.bank.balance(of: numbers.iban.electronic) == 1_250_000 - 100_500)

            // More than is left: the bank refuses it (AM04) and nothing else moves.
            let second = try await Self.send(app, kari, amountMinor: 1_200_000, key: "router-2")
            #expect(second.status == .created)
            let secondPayment = String(try #require(second.sca?.split(separator: "/").last))
            let refusedBack = try #require(try await parties.bank.approvePayment(secondPayment, as: BankLinkRouterTests.kari))
            _ = try await app.get(RouterApp.pathAndQuery(refusedBack))
            let refused = try await app.get("/v1/transactions/\(try #require(second.id))", kari.auth).decode(DropKit.Transaction.self)
            #expect(refused.status == .failed)
            #expect(await parties.bank.balance(of: numbers.iban.electronic) == 1_250_000 - 100_500)
        }
    }

    /// 255 characters in some 20 KB: each a letter with 40 combining marks (drawn at random, so
    /// PostgreSQL can't compress the key into an index entry).
    static func keyShortInCharactersLongInBytes() -> String {
        var random = SeededGenerator(seed: 54_000)
        return String((0..<255).map { _ in
            var cluster = String.UnicodeScalarView(["a"])
            for _ in 0..<40 { cluster.append(Unicode.Scalar(UInt32.random(in: 0x300...0x36F, using: &random))!) }
            return Character(String(cluster))
        })
    }

    /// Every write that moves money needs a key of 1–255 bytes of visible ASCII: on the API, and on
    /// the web forms (their key is a hidden field a browser may send empty or long), standing orders too.
    @Test func aMoneyWriteWithoutAUsableIdempotencyKeyIsRefusedBeforeAnythingIsWritten() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let userId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
            let user = try #require(try await app.services.database.withConnection { try await UserRepository.find(id: userId, on: $0) })
            let today = OsloCalendar.today(app.services.clock()).iso
            let heavy = Self.keyShortInCharactersLongInBytes()
            #expect(heavy.count == 255 && heavy.utf8.count > 20_000)
            // The last two at the services only: the route's rate limit answers a fourth try in a row.
            for (index, key) in ["", String(repeating: "k", count: 256), heavy, "two words", "nøkkel"].enumerated() {
                if index < 3 {
                    var headers = kari.auth
                    headers[HTTPField.Name("Idempotency-Key")!] = key
                    let api = try await app.post("/v1/transactions/remittance",
                                                 #"{"recipientId":"\#(kari.recipientId)","amountMinor":10000,"bankAccountId":"\#(kari.accountId)"}"#, headers)
                    #expect(api.status == .badRequest)
                    #expect(api.apiError.details.map(\.field) == ["Idempotency-Key"])
                }

                let refused = { (error: any Error) in
                    (error as? AppError).map { $0.status == .badRequest && $0.details.first?.field == "Idempotency-Key" } ?? false
                }
                await #expect(performing: {
                    _ = try await app.services.remittances.createOnce(
                        user: user, .init(recipientId: kari.recipientId, amountMinor: 10_000, bankAccountId: kari.accountId),
                        idempotencyKey: key, psuIPAddress: "192.0.2.10")
                }, throws: refused)
                await #expect(performing: {
                    _ = try await app.services.standingOrders.createOnce(
                        user: user, .init(recipientId: kari.recipientId, bankAccountId: kari.accountId, amountMinor: 10_000,
                                          frequency: "monthly", startDate: today),
                        idempotencyKey: key, psuIPAddress: "192.0.2.10")
                }, throws: refused)
            }
            #expect(try await app.get("/v1/transactions", kari.auth).decode(DropKit.Page<DropKit.Transaction>.self).items.isEmpty)
            #expect(try await app.get("/v1/standing-orders", kari.auth).decode(DropKit.Page<DropKit.StandingOrder>.self).items.isEmpty)
        }
    }

    /// Drop asks the bank for a NOK payment: from Kari's EUR account (her bank lets her link it)
    /// a transfer and a standing order are refused (422, field bankAccountId) before anything is
    /// written or asked of the bank, as a QR payment is; from her NOK account the transfer goes.
    @Test func aPaymentFromAnAccountNotInNOKIsRefusedBeforeAnythingIsWritten() async throws {
        let bank = await BankLinkRouterTests.bank()
        let euro = BankLinkRouterTests.dnbAccount(3)
        await bank.open(holder: BankLinkRouterTests.kari, iban: euro.iban.electronic, bban: euro.digits, currency: "EUR",
                        name: "Valutakonto", balanceMinor: 1_000_000)
        let parties = Parties(bank: bank)
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let accounts = try await app.get("/v1/bank-accounts", kari.auth).decode(DropKit.Page<BankAccount>.self).items
            let euroAccount = try #require(accounts.first { $0.currency == "EUR" }).id
            var headers = kari.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "not-nok-1"
            let transfer = try await app.post("/v1/transactions/remittance",
                                              #"{"recipientId":"\#(kari.recipientId)","amountMinor":100000,"bankAccountId":"\#(euroAccount)"}"#, headers)
            #expect(transfer.status == .unprocessableContent && transfer.apiError.code == "VALIDATION_FAILED")
            #expect(transfer.apiError.details.map(\.field) == ["bankAccountId"] && transfer.apiError.details.map(\.issue) == ["not_nok"])
            headers[HTTPField.Name("Idempotency-Key")!] = "not-nok-2"
            let today = OsloCalendar.today(app.services.clock()).iso
            let order = try await app.post("/v1/standing-orders", #"""
                {"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(euroAccount)","amountMinor":100000,"frequency":"monthly","startDate":"\#(today)"}
                """#, headers)
            #expect(order.status == .unprocessableContent && order.apiError.details.map(\.issue) == ["not_nok"])
            #expect(try await app.get("/v1/transactions", kari.auth).decode(DropKit.Page<DropKit.Transaction>.self).items.isEmpty)
            #expect(try await app.get("/v1/standing-orders", kari.auth).decode(DropKit.Page<DropKit.StandingOrder>.self).items.isEmpty)
            #expect(await bank.periodicPaymentStatuses().isEmpty)
            #expect(await bank.balance(of: euro.iban.electronic) == 1_000_000)

            #expect(try await Self.send(app, kari, amountMinor: 100_000, key: "nok-1").status == .created)
        }
    }

    /// Approves `sent` at Kari's bank and follows the bank's redirect back to Drop.
    static func approve(_ app: RouterApp, _ parties: Parties, _ sent: TestResponseSummary) async throws {
        let paymentId = String(try #require(sent.sca?.split(separator: "/").last))
        let back = try #require(try await parties.bank.approvePayment(paymentId, as: BankLinkRouterTests.kari))
        #expect(try await app.get(RouterApp.pathAndQuery(back)).status == .found)
    }

    @Test func onePayoutIsPaidAndOneRejectedHasItsMoneyReturned() async throws {
        let numbers = BankLinkRouterTests.dnbAccount(0)
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let paid = try await Self.send(app, kari, amountMinor: 100_000, key: "payout-1")
            let bounced = try await Self.send(app, kari, amountMinor: 200_000, key: "payout-2")
            try await Self.approve(app, parties, paid)
            try await Self.approve(app, parties, bounced)
            #expect(await parties.bank.balance(of: numbers.iban.electronic) == 1_250_000 - 100_500 - 201_000)

            // Both in one pain.001; sending it again is the same message, not a second payout.
            let payouts = app.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            #expect(try await payouts.submitDue() == 0)
            let endToEnd = { (id: String?) async throws -> String in
                let id = try #require(id)
                return try await app.get("/v1/transactions/\(id)", kari.auth).decode(DropKit.Transaction.self).endToEndId
            }
            let (paidId, bouncedId) = (try await endToEnd(paid.id), try await endToEnd(bounced.id))
            #expect(await parties.partner.statuses() == [paidId: .pending, bouncedId: .pending])

            // The recipient is paid; the other account doesn't exist at the recipient's bank.
            try await parties.partner.credit(paidId)
            try await parties.partner.reject(bouncedId, reason: "AC01")
            _ = try await payouts.pollReports()
            let status = { (id: String?) async throws -> DropKit.TransferStatus in
                let id = try #require(id)
                return try await app.get("/v1/transactions/\(id)", kari.auth).decode(DropKit.Transaction.self).status
            }
            #expect(try await status(paid.id) == .completed)
            #expect(try await status(bounced.id) == .failed)

            // The 2 010 kr go back from the partner to her account: asked once, refunded when paid back.
            #expect(try await payouts.processReturns() == 0)
            #expect(try await payouts.processReturns() == 0)
            #expect(try await status(bounced.id) == .failed)
            await parties.partner.completeReturns()
            #expect(try await payouts.processReturns() == 1)
            #expect(try await status(bounced.id) == .refunded)
            #expect(await parties.bank.balance(of: numbers.iban.electronic) == 1_250_000 - 100_500)
            #expect(try await payouts.processReturns() == 0)
        }
    }

    /// The partner no longer knows an older message: that one is raised for operations, and the
    /// messages after it are still read (before, every run stopped at the same oldest message).
    @Test func aMessageThePartnerDoesNotKnowDoesNotStopTheOthersBeingRead() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            let payouts = app.services.payouts()
            let first = try await Self.send(app, kari, amountMinor: 100_000, key: "older")
            try await Self.approve(app, parties, first)
            #expect(try await payouts.submitDue() == 1)
            clock.advance(60)
            let second = try await Self.send(app, kari, amountMinor: 120_000, key: "newer")
            try await Self.approve(app, parties, second)
            #expect(try await payouts.submitDue() == 1)
            let messages = try await app.services.database.withConnection { db in
                try await db.raw("SELECT message_id FROM payouts ORDER BY created_at").all().map { try $0.decode(column: "message_id", as: String.self) }
            }
            #expect(messages.count == 2)
            await parties.partner.forget(messageId: try #require(messages.first))
            let secondEndToEnd = try await app.get("/v1/transactions/\(try #require(second.id))", kari.auth).decode(DropKit.Transaction.self).endToEndId
            try await parties.partner.credit(secondEndToEnd)

            _ = try await payouts.pollReports()
            #expect(try await app.get("/v1/transactions/\(try #require(second.id))", kari.auth).decode(DropKit.Transaction.self).status == .completed)
            let alerts = try await app.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }
            #expect(alerts.count == 1)
        }
    }

    /// A backlog larger than one message holds goes out in several (here one payout to a message).
    @Test func moreDueThanOneMessageHoldsGoOutInSeveral() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await Self.kariReadyToSend(app, parties)
            for (n, amount) in [Int64(100_000), 110_000, 120_000].enumerated() {
                try await Self.approve(app, parties, try await Self.send(app, kari, amountMinor: amount, key: "backlog-\(n)"))
                clock.advance(61)  // past the minute's limit on money writes
            }
            var payouts = app.services.payouts()
            payouts.maximumPerMessage = 2
            #expect(try await payouts.submitDue() == 2)
            let sizes = try await app.services.database.withConnection { db in
                try await db.raw("SELECT (SELECT COUNT(*) FROM transactions t WHERE t.payout_id = p.id) AS n FROM payouts p ORDER BY n").all()
                    .map { try $0.decode(column: "n", as: Int.self) }
            }
            #expect(sizes == [1, 2])
            #expect(await parties.partner.statuses().count == 3)
        }
    }
}
