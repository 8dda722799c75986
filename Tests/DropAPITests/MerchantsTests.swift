import DropCore
import DropKit
import DropStore
import DropTestTools
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Merchants and QR payments over HTTP: registration, QR codes, paying, dashboard, live events")
struct MerchantsTests {
    static let kari = "15039010043"

    /// Kari, KYC-approved, with DNB linked; returns her auth and the NOK 42,350.00 account.
    static func payer(_ server: LiveServer) async throws -> (auth: (String, String), accountId: String) {
        let auth = try await KYCTests.onboardAndVerify(server, kari).auth
        _ = try await server.connectBank("dnb", auth: auth, as: kari)
        let accounts = try await server.get("/v1/bank-accounts", headers: [auth]).decode(DropKit.Page<BankAccount>.self).items
        return (auth, try #require(accounts.first { $0.balance?.amountMinor == 4_235_000 }).id)
    }

    static func pay(_ server: LiveServer, _ auth: (String, String), key: String, _ body: String) async throws -> LiveServer.Reply {
        try await server.request(.POST, "/v1/transactions/qr-payment", headers: [auth, ("content-type", "application/json"), ("Idempotency-Key", key)],
                                 body: body)
    }

    /// The body that pays what `url` (a dynamic link) says, from `accountId`.
    static func body(paying url: String, base: String, from accountId: String) throws -> String {
        let link = try PaymentLink.parse(url, base: base)
        let terms = try #require(link.terms)
        let input = QRPaymentInput(merchantCode: link.code.value, amountMinor: terms.amountMinor, reference: terms.reference,
                                   expiresAt: terms.expiresAt, signature: link.signature ?? "", bankAccountId: accountId, client: nil)
        return String(decoding: try JSONEncoder().encode(input), as: UTF8.self)
    }

    static func count(_ server: LiveServer, _ table: String) async throws -> Int {
        try await server.services.database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self) }
    }

    @Test func monaRegistersAndHerQRCodesDecodeBackToTheExactLinks() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let owner = try await server.verifiedOwner(LiveServer.mona)
            let auth = owner.auth
            // Not a merchant yet: the merchant's routes are closed to her.
            #expect(try await server.get("/v1/merchants/me", headers: [auth]).status == 403)

            // Her own linked account, by its number as people write it.
            let dotted = "\(owner.accountNumber.prefix(4)).\(owner.accountNumber.dropFirst(4).prefix(2)).\(owner.accountNumber.suffix(5))"
            let cafe = LiveServer.monasCafe(#""settlementAccount":"\#(dotted)""#)
            let created = try await server.postJSON("/v1/merchants", cafe, headers: [auth])
            #expect(created.status == 201)
            let merchant = try created.decode(DropKit.Merchant.self)
            let code = merchant.code
            #expect(MerchantCode.isValid(code))
            #expect(merchant.organisationNumber == "923456783" && merchant.settlementAccount == owner.accountNumber)
            let monaId = try await server.userId(auth)
            let proof = try await server.services.database.withConnection { try await MerchantRepository.find(userId: monaId, on: $0)?.settlementBankAccountId }
            #expect(proof == owner.accountId)
            #expect(merchant.verified && merchant.mcc == "5814")

            // The same session is a merchant's now, and the change is on the audit trail.
            #expect(try await server.get("/v1/me", headers: [auth]).decode(DropKit.User.self).role == .merchant)
            #expect(try await server.get("/v1/merchants/me", headers: [auth]).decode(DropKit.Merchant.self).code == code)
            let audited = try await server.services.database.withConnection { db in
                try await db.raw("SELECT action FROM audit_log WHERE action IN ('merchant.registered', 'user.role_changed')").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(Set(audited) == ["merchant.registered", "user.role_changed"])

            // Twice is a conflict, and writes nothing.
            let again = try await server.postJSON("/v1/merchants", cafe, headers: [auth])
            #expect(again.status == 409 && again.errorCode == "MERCHANT_EXISTS")
            #expect(try await Self.count(server, "merchants") == 1)

            // Anyone may look the code up; other codes are not found.
            let lookup = try await server.get("/v1/merchants/\(code)")
            let shown = try lookup.decode(DropKit.PublicMerchant.self)
            #expect(lookup.status == 200 && shown.name == "Monas Kaffebar" && shown.city == "Oslo" && shown.verified)
            // Which business it says it is: the number is public in Enhetsregisteret.
            #expect(shown.organisationNumber == "923456783")
            #expect(try await server.get("/v1/merchants/\(MerchantCode.generate().value)").status == 404)
            #expect(try await server.get("/v1/merchants/nonsense").errorCode == "NOT_FOUND")

            // Static link and dynamic links of many lengths: the SVG, rendered to PNG, decodes to the exact link.
            let queries = [""] + [(100, ""), (24_900, "1"), (5_000_000, "Bord 4"), (12_345, "Faktura 2026-104 æøå"),
                                  (99_999, "Kaffe & kake / 2 stk + tips?="), (1_00, String(repeating: "R", count: 35))]
                .map { "?amountMinor=\($0.0)&reference=\(LiveServer.formEncode($0.1))" }
            var links: [String] = []
            var documents: [String] = []
            for query in queries {
                let link = try await server.get("/v1/merchants/me/qr\(query)", headers: [auth])
                #expect(link.status == 200)
                let info = try link.decode(DropKit.PaymentLinkInfo.self)
                let url = info.url
                #expect(info.code == code)
                #expect((info.expiresAt != nil) == !query.isEmpty)
                let svg = try await server.get("/v1/merchants/me/qr.svg\(query)", headers: [auth])
                #expect(svg.status == 200 && svg.headers.first(name: "content-type") == "image/svg+xml" && svg.body.hasPrefix("<svg"))
                links.append(url)
                documents.append(svg.body)
                // What the link says is what was asked for, signed with the server's key.
                let parsed = try PaymentLink.parse(url, base: server.services.publicBaseURL.url)
                try PaymentLinkSigner(secret: server.services.config.secrets.paymentLinkSecret).verify(parsed, now: server.clock.date)
            }
            #expect(links[0] == "\(server.baseURL)/pay/\(code)")
            #expect(links[3].contains("amount=5000000&ref=Bord%204&exp=\(Int(LiveServer.wednesdayNoon.timeIntervalSince1970) + 900)&sig="))
            // An independent reader (zxing-cpp) must decode each code; DROP_REQUIRE_QR_DECODER=1 makes a missing one a failure.
            if QRDecoderBridge.canReadPNG || QRDecoderBridge.isRequired {
                let decoded = try await QRDecoderBridge.decodeSVG(documents)
                #expect(decoded.count == links.count)
                for (link, result) in zip(links, decoded) {
                    #expect(result.found, "not decoded: \(link) \(result.error ?? "")")
                    #expect(result.text == link)
                }
            }

            // Amounts outside the product's range and references that don't fit are refused.
            #expect(try await server.get("/v1/merchants/me/qr?amountMinor=99", headers: [auth]).errorCode == "LIMIT_EXCEEDED")
            #expect(try await server.get("/v1/merchants/me/qr?amountMinor=5000001", headers: [auth]).errorCode == "LIMIT_EXCEEDED")
            #expect(try await server.get("/v1/merchants/me/qr?amountMinor=12.50", headers: [auth]).issue("amountMinor") == "format")
            #expect(try await server.get("/v1/merchants/me/qr?amountMinor=100&reference=\(String(repeating: "x", count: 36))", headers: [auth])
                .issue("reference") == "too_long")
            #expect(try await server.get("/v1/merchants/me/qr?reference=x", headers: [auth]).issue("amountMinor") == "required")
        }
    }

    @Test func registrationShowsEveryFieldErrorAndNonMerchantsAreKeptOut() async throws {
        try await LiveServer.run { server in
            let kari = try await server.verifiedOwner(Self.kari)
            let auth = kari.auth
            let bad = try await server.postJSON("/v1/merchants", #"{"organisationNumber":"923456784","name":" ","mcc":"6011","city":"Oslo","settlementAccount":"DE89370400440532013000"}"#,
                                                headers: [auth])
            #expect(bad.status == 422 && bad.errorCode == "VALIDATION_FAILED")
            #expect(bad.issue("organisationNumber") == "checksum")
            #expect(bad.issue("name") == "required")
            #expect(bad.issue("mcc") == "unsupported")
            #expect(bad.issue("settlementAccount") == "country")
            #expect(bad.issue("city") == nil)
            let badAccount = try await server.postJSON("/v1/merchants", #"{"organisationNumber":"923456783","name":"Kiosk","mcc":"5411","city":"Bergen","settlementAccount":"15030012346"}"#,
                                                       headers: [auth])
            #expect(badAccount.status == 422 && badAccount.issue("settlementAccount") == "checksum")
            let missing = try await server.postJSON("/v1/merchants", #"{"organisationNumber":"923456783","name":"Kiosk","mcc":"5411","city":"Bergen"}"#, headers: [auth])
            #expect(missing.status == 422 && missing.issue("settlementAccount") == "required")
            // The name is every payment's creditorName, which a bank counts in code points (Max70Text):
            // 20 family emoji are 20 characters and 100 code points.
            let emoji = String(repeating: "👨‍👩‍👧", count: 20)
            let tooLong = try await server.postJSON("/v1/merchants", #"{"organisationNumber":"923456783","name":"\#(emoji)","mcc":"5411","city":"Bergen","settlementBankAccountId":"\#(kari.accountId)"}"#,
                                                    headers: [auth])
            #expect(tooLong.status == 422 && tooLong.issue("name") == "too_long")
            #expect(try await Self.count(server, "merchants") == 0)
            #expect(try await server.get("/v1/me", headers: [auth]).decode(DropKit.User.self).role == .user)

            for path in ["/v1/merchants/me", "/v1/merchants/me/qr", "/v1/merchants/me/qr.svg", "/v1/merchants/me/dashboard", "/v1/merchants/me/events"] {
                let refused = try await server.get(path, headers: [auth])
                #expect(refused.status == 403 && refused.errorCode == "FORBIDDEN", "\(path)")
                #expect(try await server.get(path).status == 401, "\(path)")
            }
            // Her own account as a Norwegian IBAN is taken and stored as the account number.
            let iban = try #require(try await server.linkedAccounts(auth).first { $0.id == kari.accountId }?.iban)
            let ok = try await server.postJSON("/v1/merchants", #"{"organisationNumber":"923456783","name":"Kiosk","mcc":"5411","city":"Bergen","settlementAccount":"\#(iban)"}"#,
                                               headers: [auth])
            #expect(ok.status == 201)
            let kiosk = try ok.decode(DropKit.Merchant.self)
            #expect(kiosk.settlementAccount == kari.accountNumber && kiosk.verified)
        }
    }

    /// Dina never finished KYC; Ola did, but the account he names is Kari's. Neither can make
    /// payments to a business land in an account that isn't the owner's own.
    @Test func onlyAVerifiedOwnerRegistersAndOnlyToTheirOwnLinkedAccount() async throws {
        try await LiveServer.run { server in
            let kari = try await server.verifiedOwner(Self.kari)
            let dina = try await server.bearer("52069210031")
            let unverified = try await server.postJSON("/v1/merchants", LiveServer.monasCafe(#""settlementAccount":"\#(kari.accountNumber)""#), headers: [dina])
            #expect(unverified.status == 403 && unverified.errorCode == "KYC_REQUIRED")

            let ola = try await server.verifiedOwner("01078510133")
            let kariesNumber = try await server.postJSON("/v1/merchants", LiveServer.monasCafe(#""settlementAccount":"\#(kari.accountNumber)""#), headers: [ola.auth])
            #expect(kariesNumber.status == 422 && kariesNumber.issue("settlementAccount") == "not_own_account")
            let kariesAccount = try await server.postJSON("/v1/merchants", LiveServer.monasCafe(#""settlementBankAccountId":"\#(kari.accountId)""#), headers: [ola.auth])
            #expect(kariesAccount.status == 422 && kariesAccount.issue("settlementBankAccountId") == "not_found")
            // His own account chosen by id, with someone else's number beside it: refused too.
            let mixed = try await server.postJSON("/v1/merchants", LiveServer.monasCafe(
                #""settlementBankAccountId":"\#(ola.accountId)","settlementAccount":"\#(kari.accountNumber)""#), headers: [ola.auth])
            #expect(mixed.status == 422 && mixed.issue("settlementAccount") == "mismatch")
            #expect(try await Self.count(server, "merchants") == 0)

            // An account he linked but whose consent has lapsed proves nothing any more.
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE bank_accounts SET status = 'reconnect' WHERE id = \(bind: ola.accountId)").run()
            }
            let lapsed = try await server.postJSON("/v1/merchants", LiveServer.monasCafe(#""settlementBankAccountId":"\#(ola.accountId)""#), headers: [ola.auth])
            #expect(lapsed.status == 422 && lapsed.issue("settlementBankAccountId") == "not_found")
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE bank_accounts SET status = 'active' WHERE id = \(bind: ola.accountId)").run()
            }
            let own = try await server.postJSON("/v1/merchants", LiveServer.monasCafe(#""settlementBankAccountId":"\#(ola.accountId)""#), headers: [ola.auth])
            #expect(own.status == 201)
            #expect(try own.decode(DropKit.Merchant.self).settlementAccount == ola.accountNumber)
            #expect(try await Self.count(server, "merchants") == 1)
        }
    }

    @Test func kariPaysMonaAndMonasLiveStreamAndDashboardSeeIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)

            // Mona's dashboard is open: its stream starts from now.
            let stream = try await server.openEventStream(auth: mona.auth)
            #expect(stream.status == 200 && stream.contentType?.hasPrefix("text/event-stream") == true)

            let link = try await server.get("/v1/merchants/me/qr?amountMinor=24900&reference=Bord%204", headers: [mona.auth])
            let url = try link.decode(DropKit.PaymentLinkInfo.self).url
            let body = try Self.body(paying: url, base: server.services.publicBaseURL.url, from: kari.accountId)
            let created = try await Self.pay(server, kari.auth, key: "qr-1", body)
            #expect(created.status == 201)
            let payment = try created.decode(TransactionCreated.self)
            let transaction = payment.transaction
            let id = transaction.id
            #expect(transaction.kind == .qrPayment && transaction.status == .pendingSCA)
            #expect(transaction.total.amountMinor == 24_900 && transaction.fee.amountMinor == 0)
            #expect(transaction.reference == "Bord 4")
            #expect(transaction.merchant?.name == "Monas Kaffebar")
            let sca = try #require(payment.scaRedirect).absoluteString

            // The same key and body: the same answer, nothing new.
            let replay = try await Self.pay(server, kari.auth, key: "qr-1", body)
            #expect(replay.status == 201 && replay.body == created.body && replay.headers.first(name: "idempotent-replayed") == "true")
            #expect(try await Self.count(server, "transactions") == 1)
            let reused = try await Self.pay(server, kari.auth, key: "qr-1", body.replacingOccurrences(of: kari.accountId, with: UUID().uuidString))
            #expect(reused.status == 422 && reused.errorCode == "IDEMPOTENCY_KEY_REUSED")

            // Kari approves at her bank's SCA page; the money goes straight to Mona's account.
            let back = try await server.approveAtBank(sca, as: Self.kari)
            _ = try await server.get(try #require(back.location))
            let events = try await stream.collect(until: { $0.status == .completed })
            stream.close()
            #expect(events.first?.status == .pendingSCA)
            #expect(events.allSatisfy { $0.event == "payment" && $0.payment?.transactionId == id })
            let ids = events.compactMap { $0.id.flatMap(Int.init) }
            #expect(ids.count == events.count && ids == ids.sorted() && Set(ids).count == ids.count)
            #expect(try events.last.map { try $0.decode(MerchantEvent.self) }?.amount.amountMinor == 24_900)

            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .completed)
            #expect(detail.history?.map(\.status) == [.pendingSCA, .processing, .completed])
            typealias Transactions = DropKit.Page<DropKit.Transaction>
            #expect(try await server.get("/v1/transactions?kind=qr_payment", headers: [kari.auth]).decode(Transactions.self).items.map(\.id) == [id])
            #expect(try await server.get("/v1/transactions?kind=remittance", headers: [kari.auth]).decode(Transactions.self).items.isEmpty)

            // Both are told.
            let kariNotes = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(kariNotes.contains { $0.kind == "transaction.completed" })
            let monaNotes = try await server.get("/v1/notifications", headers: [mona.auth]).decode(NotificationList.self).items
            #expect(monaNotes.contains { $0.kind == "merchant.payment_received" })

            // The dashboard adds it up: one payment, NOK 249.00, no fees, on Wednesday.
            let dashboard = try await server.get("/v1/merchants/me/dashboard?from=2026-10-14&to=2026-10-14", headers: [mona.auth])
            #expect(dashboard.status == 200)
            let board = try dashboard.decode(MerchantDashboard.self)
            #expect(board.count == 1 && board.total.amountMinor == 24_900 && board.fees.amountMinor == 0)
            #expect(board.days.map(\.date) == ["2026-10-14"] && board.days.first?.count == 1 && board.days.first?.total.amountMinor == 24_900)
            let paid = try #require(board.payments.first)
            #expect(paid.status == .completed)
            // The signed reference is the order reference; there is no payer's message.
            #expect(paid.reference == "Bord 4" && paid.payerMessage == nil)
            #expect(events.last?.payment?.reference == "Bord 4" && events.last?.payment?.payerMessage == nil)
            // Mona's bank statement reads it as an order, paid to her own account.
            let paidAtBank = try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }
            #expect(paidAtBank.map(\.text) == ["Drop ordre Bord 4"] && paidAtBank.map(\.amountMinor) == [24_900])
            let yesterday = try await server.get("/v1/merchants/me/dashboard?from=2026-10-13&to=2026-10-13", headers: [mona.auth])
                .decode(MerchantDashboard.self)
            #expect(yesterday.count == 0 && yesterday.payments.isEmpty)
            #expect(try await server.get("/v1/merchants/me/dashboard?from=yesterday", headers: [mona.auth]).issue("from") == "format")
            // A year past 9999 parses as ISO 8601; PostgresNIO would trap binding it.
            #expect(try await server.get("/v1/merchants/me/dashboard?from=300000-01-01T00:00:00Z", headers: [mona.auth]).issue("from") == "range")

            // A reconnect with Last-Event-ID replays what came after it, and nothing before.
            let firstId = try #require(events.first?.id)
            let resumed = try await server.openEventStream(auth: mona.auth, lastEventId: firstId)
            let replayed = try await resumed.collect(until: { $0.status == .completed })
            resumed.close()
            #expect(replayed.map(\.id) == Array(events.dropFirst()).map(\.id))
        }
    }

    @Test func tamperedExpiredUnknownAndOwnLinksAreRefusedAndWriteNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let base = server.services.publicBaseURL.url
            let url = try await server.get("/v1/merchants/me/qr?amountMinor=24900&reference=Bord%204", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
            let honest = try Self.body(paying: url, base: base, from: kari.accountId)

            let cheaper = try await Self.pay(server, kari.auth, key: "t-1", honest.replacingOccurrences(of: "24900", with: "100"))
            #expect(cheaper.status == 422 && cheaper.errorCode == "PAYMENT_LINK_INVALID" && cheaper.issue("signature") == "invalid")
            let otherReference = try await Self.pay(server, kari.auth, key: "t-2", honest.replacingOccurrences(of: "Bord 4", with: "Bord 5"))
            #expect(otherReference.errorCode == "PAYMENT_LINK_INVALID")
            let unsigned = try await Self.pay(server, kari.auth, key: "t-3", honest.replacingOccurrences(of: #""signature""#, with: #""sig""#))
            #expect(unsigned.status == 422 && unsigned.issue("signature") == "required")
            let unknown = try await Self.pay(server, kari.auth, key: "t-4",
                                             #"{"merchantCode":"\#(MerchantCode.generate().value)","amountMinor":24900,"reference":"","bankAccountId":"\#(kari.accountId)"}"#)
            #expect(unknown.status == 422 && unknown.issue("merchantCode") == "not_found")
            let tooSmall = try await Self.pay(server, kari.auth, key: "t-5",
                                              #"{"merchantCode":"\#(mona.code)","amountMinor":99,"reference":"","bankAccountId":"\#(kari.accountId)"}"#)
            #expect(tooSmall.status == 422 && tooSmall.errorCode == "LIMIT_EXCEEDED")
            let notMine = try await Self.pay(server, kari.auth, key: "t-6",
                                             #"{"merchantCode":"\#(mona.code)","amountMinor":24900,"bankAccountId":"\#(UUID().uuidString.lowercased())"}"#)
            #expect(notMine.status == 422 && notMine.issue("bankAccountId") == "not_found")
            // An account in another currency (her bank may let her link a EUR one): Drop asks for NOK, so it is refused.
            let kariId = try await server.userId(kari.auth)
            try await server.services.database.run("UPDATE bank_accounts SET currency = 'EUR' WHERE user_id = \(bind: kariId) AND id <> \(bind: kari.accountId)")
            let euroAccount = try #require(try await server.get("/v1/bank-accounts", headers: [kari.auth]).decode(DropKit.Page<BankAccount>.self)
                .items.first { $0.currency == "EUR" }?.id)
            let foreign = try await Self.pay(server, kari.auth, key: "t-6b",
                                             #"{"merchantCode":"\#(mona.code)","amountMinor":24900,"bankAccountId":"\#(euroAccount)"}"#)
            #expect(foreign.status == 422 && foreign.issue("bankAccountId") == "not_nok")
            #expect(try await server.request(.POST, "/v1/transactions/qr-payment", headers: [kari.auth, ("content-type", "application/json")], body: honest).status == 400)

            // Mona can't pay her own business.
            let monasAccount = try #require(try await server.get("/v1/bank-accounts", headers: [mona.auth]).decode(DropKit.Page<BankAccount>.self).items.first?.id)
            let own = try await Self.pay(server, mona.auth, key: "t-7", try Self.body(paying: url, base: base, from: monasAccount))
            #expect(own.status == 422 && own.issue("merchantCode") == "own_merchant")

            // Fifteen minutes and a second later the link has expired; the same link a second earlier still pays.
            server.clock.advance(15 * 60 + 1)
            let late = try await Self.pay(server, kari.auth, key: "t-8", honest)
            #expect(late.status == 422 && late.errorCode == "PAYMENT_LINK_EXPIRED")
            #expect(try await Self.count(server, "transactions") == 0)
            #expect(try await Self.count(server, "merchant_events") == 0)

            server.clock.advance(-2)
            #expect(try await Self.pay(server, kari.auth, key: "t-9", honest).status == 201)
            // A static link: the payer chooses the amount.
            let chosen = try await Self.pay(server, kari.auth, key: "t-10",
                                            #"{"merchantCode":"\#(mona.code.lowercased())","amountMinor":4500,"bankAccountId":"\#(kari.accountId)"}"#)
            #expect(chosen.status == 201)
            #expect(try await Self.count(server, "transactions") == 2)
        }
    }

    @Test func theDynamicLinkLifetimeIsConfigurable() throws {
        let directory = TestScratch.path("ttl")
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory]).paymentLinkLifetime == 900)
        #expect(try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "PAYMENT_LINK_TTL_SECONDS": "120"]).paymentLinkLifetime == 120)
        #expect(throws: ConfigError.self) { try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "PAYMENT_LINK_TTL_SECONDS": "soon"]) }
        #expect(throws: ConfigError.self) { try AppConfig.load(environment: ["DROP_DATA_DIR": directory, "PAYMENT_LINK_TTL_SECONDS": "5"]) }
    }

    @Test func paymentsNeedKYCAndRespectSpendingLimits() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let stranger = try await server.bearer("01078510133")
            let refused = try await Self.pay(server, stranger, key: "k-1",
                                             #"{"merchantCode":"\#(mona.code)","amountMinor":4500,"bankAccountId":"\#(UUID().uuidString)"}"#)
            #expect(refused.status == 403 && refused.errorCode == "KYC_REQUIRED")

            let kari = try await Self.payer(server)
            #expect(try await server.request(.PUT, "/v1/spending-limits", headers: [kari.auth, ("content-type", "application/json")],
                                             body: #"{"daily":{"amountMinor":500000,"currency":"NOK"}}"#).status == 200)
            let over = try await Self.pay(server, kari.auth, key: "k-2",
                                          #"{"merchantCode":"\#(mona.code)","amountMinor":500001,"bankAccountId":"\#(kari.accountId)"}"#)
            #expect(over.status == 422 && over.errorCode == "LIMIT_EXCEEDED" && over.issue("amountMinor") == "daily_limit")
            #expect(try await Self.count(server, "transactions") == 0)
        }
    }
}
