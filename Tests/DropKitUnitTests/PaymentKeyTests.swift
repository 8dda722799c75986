import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import DropKit

/// The key a payment is confirmed with is the payment: every retry whose first attempt may have
/// reached Drop carries it, and a payment with other terms never does.
@Suite struct PaymentKeyTests {
    static let second = Wire.account.replacingOccurrences(of: "22222222-0000-4000-8000-000000000001", with: "22222222-0000-4000-8000-000000000002")
        .replacingOccurrences(of: "12345678903", with: "12345678911")

    /// A QR model on a shop's static code, with `answer` for each `POST /v1/transactions/qr-payment` (by its number).
    @MainActor static func staticCode(_ answer: @escaping @Sendable (Int) throws -> StubTransport.Answer) async -> (QRModel, StubTransport) {
        let posts = Counter()
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/merchants/kaffe-mona": return .init(status: 200, body: #"{"code":"kaffe-mona","name":"Monas Kaffebar","city":"Oslo","organisationNumber":"923456783","verified":true}"#)
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account, second))
            case "POST /v1/transactions/qr-payment": return try answer(posts.next())
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let qr = QRModel(environment: ClientEnvironment(client: client, newIdempotencyKey: { "key-\(UUID().uuidString)" }))
        await qr.open("https://drop.example/pay/kaffe-mona")
        qr.setAmount("49,50")
        return (qr, transport)
    }

    static let created = StubTransport.Answer(
        status: 201, body: #"{"transaction":\#(Wire.transaction("33333333-0000-4000-8000-000000000001", status: "pending_sca", kind: "qr_payment")),"scaRedirect":"https://bank.example/sca/1"}"#)

    @Test @MainActor func whileTheFirstAttemptIsStillRunningTheKeyIsKeptAndTheSamePaymentAnswers() async throws {
        let (qr, transport) = await Self.staticCode { n in
            switch n {
            case 0...2: throw URLError(.networkConnectionLost)  // the connection drops while the bank is slow
            case 3: return .init(status: 409, body: Wire.error("IDEMPOTENCY_KEY_IN_USE"), headers: ["Retry-After": "2"])
            default: return Self.created
            }
        }
        await qr.pay()
        let key = try #require(qr.idempotencyKey)
        #expect(qr.problem == .offline && qr.phase == .editing)
        await qr.pay()
        #expect(qr.problem?.code == "IDEMPOTENCY_KEY_IN_USE" && qr.idempotencyKey == key)
        await qr.pay()
        let posts = transport.requests.filter { $0.route == "POST /v1/transactions/qr-payment" }
        #expect(posts.count == 5 && posts.allSatisfy { $0.value(forHTTPHeaderField: "Idempotency-Key") == key })
        #expect(Set(posts.map(\.bodyText)).count == 1)
        #expect(qr.phase == .awaitingApproval(URL(string: "https://bank.example/sca/1")!))
    }

    @Test @MainActor func anotherAccountOrMessageAfterAnErrorIsAnotherPaymentWithItsOwnKey() async throws {
        let (qr, transport) = await Self.staticCode { n in
            n < 1 ? .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE"), headers: ["Retry-After": "30"]) : Self.created
        }
        await qr.pay()
        let first = try #require(qr.idempotencyKey)
        #expect(qr.problem == .providerUnavailable(retryAfter: 30))
        // The payer's bank is down: they pick their other bank, and that is what is asked for.
        qr.account = qr.accounts[1]
        #expect(qr.idempotencyKey == nil)
        await qr.pay()
        let posts = transport.requests.filter { $0.route == "POST /v1/transactions/qr-payment" }
        let last = try #require(posts.last)
        #expect(last.bodyText.contains("22222222-0000-4000-8000-000000000002") && last.value(forHTTPHeaderField: "Idempotency-Key") != first)
        // A message changed after an error is a new payment too.
        let (again, _) = await Self.staticCode { _ in .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE")) }
        await again.pay()
        #expect(again.idempotencyKey != nil)
        again.message = "Kaffe og bolle"
        #expect(again.idempotencyKey == nil)
    }

    @Test func aPayLinkWithAnAmountButNoSignatureIsNotTheShops() {
        func link(_ text: String) -> DeepLink? { DeepLink(url: URL(string: text)!) }
        #expect(link("drop://pay/kaffe-mona?amount=100") == nil)
        #expect(link("drop://pay/kaffe-mona?amount=1500000&ref=Faktura%204411") == nil)
        #expect(link("drop://pay/kaffe-mona?amount=100&exp=1791979100") == nil)
        #expect(link("drop://pay/kaffe-mona?amount=%2B100&exp=1791979100&sig=abc") == nil)
        #expect(link("drop://pay/kaffe-mona?amount=100&exp=1791979100&sig=abc&note=x") == nil)
        #expect(link("drop://pay/kaffe-mona?amount=100&amount=200&exp=1791979100&sig=abc") == nil)
        #expect(link("drop://pay/kaffe-mona?ref=Bord%204") == nil)
        #expect(link("drop://pay/kaffe-mona?amount=100&exp=1791979100&sig=abc")
            == .pay(.init(merchantCode: "kaffe-mona", amountMinor: 100, reference: nil, expiresAt: 1_791_979_100, signature: "abc")))
    }
}

/// A standing transfer's key is its whole request: the same request again keeps it, a changed one
/// (another account) gets its own, and a definite refusal frees it.
@Suite struct StandingOrderKeyTests {
    @Test @MainActor func aChangedOrderAfterALostAnswerIsAnotherRequestWithItsOwnKey() async throws {
        let posts = Counter()
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/standing-orders": return .init(status: 200, body: "[]")
            case "POST /v1/standing-orders":
                let n = posts.next()
                if n < 3 { throw URLError(.networkConnectionLost) }
                return .init(status: 422, body: Wire.error("VALIDATION_FAILED", #"[{"field":"startDate","issue":"past"}]"#))
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let model = StandingOrdersModel(environment: ClientEnvironment(client: client, newIdempotencyKey: { "key-\(UUID().uuidString)" }))
        var order = NewStandingOrder(recipientId: "r1", bankAccountId: "a1", amountMinor: 150_000, frequency: .monthly, startDate: "2026-10-14")
        func keys() -> [String?] {
            transport.requests.filter { $0.route == "POST /v1/standing-orders" }.map { $0.value(forHTTPHeaderField: "Idempotency-Key") }
        }
        await model.create(order)
        #expect(model.problem == .offline)
        let first = try #require(keys().last ?? nil)
        // Another account: not the request the lost answer was about.
        order.bankAccountId = "a2"
        await model.create(order)
        let second = try #require(keys().last ?? nil)
        #expect(second != first)
        #expect(model.problem?.code == "VALIDATION_FAILED")
        // Refused for good: the same order sent again is a new request.
        await model.create(order)
        #expect(try #require(keys().last ?? nil) != second)
    }
}

/// What the person does while a payment's request is on its way: an edit makes the next tap pay what
/// the screen shows, and starting over (or opening another code) leaves the late answer out of the new one.
@Suite struct PaymentOnItsWayTests {
    static let merchant = #"{"code":"kaffe-mona","name":"Monas Kaffebar","city":"Oslo","organisationNumber":"923456783","verified":true}"#
    static let transactionId = "33333333-0000-4000-8000-000000000001"

    /// Drop with a shop's static code, answering each QR payment (by its number) with `answer`.
    static func shop(_ answer: @escaping @Sendable (Int) -> StubTransport.Answer) -> StubTransport {
        let posts = Counter()
        return StubTransport { request, _ in
            switch request.route {
            case "GET /v1/merchants/kaffe-mona": return .init(status: 200, body: Self.merchant)
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/transactions/qr-payment": return answer(posts.next())
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
    }

    /// Holds the first QR payment sent, until released.
    static func holdingFirstPayment(_ server: StubTransport) -> HeldTransport {
        let seen = Counter()
        return HeldTransport(server) { $0.route == "POST /v1/transactions/qr-payment" && seen.next() == 0 }
    }

    static func payments(_ server: StubTransport) -> [URLRequest] { server.requests.filter { $0.route == "POST /v1/transactions/qr-payment" } }

    @Test @MainActor func anAmountTypedWhileThePaymentIsOnItsWayIsWhatTheNextTapPays() async throws {
        let server = Self.shop { n in
            n < 3 ? .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE")) : PaymentKeyTests.created
        }
        let held = Self.holdingFirstPayment(server)
        let qr = QRModel(environment: ClientEnvironment(client: held.client(), newIdempotencyKey: { "key-\(UUID().uuidString)" }))
        await qr.open("https://drop.example/pay/kaffe-mona")
        qr.setAmount("49,50")
        let paying = Task { await qr.pay() }
        try await held.arrival()
        #expect(qr.phase == .submitting)
        // The payer corrects the amount while the spinner turns; the bank then doesn't answer.
        qr.setAmount("60")
        held.release()
        await paying.value
        #expect(qr.problem == .providerUnavailable(retryAfter: nil) && qr.phase == .editing)
        #expect(qr.idempotencyKey == nil && qr.amountMinor == 6_000)
        await qr.pay()
        let posts = Self.payments(server)
        let first = try #require(posts.first), last = try #require(posts.last)
        #expect(first.bodyText.contains(#""amountMinor":4950"#))
        #expect(last.bodyText.contains(#""amountMinor":6000"#), "\(last.bodyText)")
        #expect(last.value(forHTTPHeaderField: "Idempotency-Key") != first.value(forHTTPHeaderField: "Idempotency-Key"))
    }

    @Test @MainActor func aTransferEditedWhileOnItsWayNeedsANewPriceBeforeItIsConfirmed() async throws {
        let server = PendingPaymentTests.server { _ in throw URLError(.timedOut) }
        let seen = Counter()
        let held = HeldTransport(server) { $0.route == "POST /v1/transactions/remittance" && seen.next() == 0 }
        let send = SendModel(environment: ClientEnvironment(client: held.client(), now: { PendingPaymentTests.start },
                                                            newIdempotencyKey: { "key-\(UUID().uuidString)" }))
        await send.load()
        send.select(send.recipients[0])
        send.setAmount("1 000")
        await send.refreshQuote()
        let confirming = Task { await send.confirm() }
        try await held.arrival()
        send.setAmount("2 000")
        held.release()
        await confirming.value
        #expect(send.problem == .offline && send.phase == .editing)
        // The price on the screen was for 1 000 kr: it is not confirmed for 2 000.
        #expect(send.quote == nil && !send.canConfirm && send.idempotencyKey == nil)
        await send.confirm()
        #expect(PendingPaymentTests.transfers(server).count == 3, "nothing more sent without a price for the new amount")
    }

    @Test @MainActor func anotherCodeOpenedWhileAPaymentIsOnItsWayIsNotGivenItsAnswer() async throws {
        let server = Self.shop { _ in PaymentKeyTests.created }
        let held = Self.holdingFirstPayment(server)
        let qr = QRModel(environment: ClientEnvironment(client: held.client(), newIdempotencyKey: { "key-\(UUID().uuidString)" }))
        await qr.open("https://drop.example/pay/kaffe-mona")
        qr.setAmount("49,50")
        let paying = Task { await qr.pay() }
        try await held.arrival()
        // The payer scans the next code before the first answer comes.
        await qr.open("https://drop.example/pay/kaffe-mona")
        held.release()
        await paying.value
        #expect(qr.phase == .editing && qr.transaction == nil && qr.idempotencyKey == nil && qr.problem == nil, "\(qr.phase)")
        #expect(qr.amountMinor == nil && qr.needsAmount)
    }

    @Test @MainActor func startingOverWhileATransferIsFollowedStopsFollowingIt() async throws {
        let polls = Counter()
        let server = StubTransport { request, _ in
            switch request.route {
            case "GET /v1/recipients": return .init(status: 200, body: Wire.page(Wire.recipient()))
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/quotes": return .init(status: 201, body: Wire.quote(id: "q0", expiresAt: "2026-10-20T12:00:00Z"))
            case "POST /v1/transactions/remittance": return PendingPaymentTests.created
            case "GET /v1/transactions/\(Self.transactionId)":
                polls.increment()
                return .init(status: 200, body: Wire.transaction(Self.transactionId, status: "processing"))
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let reads = Counter()
        let held = HeldTransport(server) { $0.route == "GET /v1/transactions/\(Self.transactionId)" && reads.next() == 0 }
        let send = SendModel(environment: ClientEnvironment(client: held.client(), now: { PendingPaymentTests.start }, sleep: { _ in },
                                                            newIdempotencyKey: { "key-\(UUID().uuidString)" }))
        await send.load()
        send.select(send.recipients[0])
        send.setAmount("1 000")
        await send.refreshQuote()
        await send.confirm()
        #expect(send.phase == .awaitingApproval(URL(string: "https://bank.example/sca/1")!))
        let following = Task { await send.open(.transaction(id: Self.transactionId)) }
        try await held.arrival()
        // Back from the bank, the person taps "send another" before the status is read.
        send.startOver()
        held.release()
        #expect(await following.value)
        #expect(send.phase == .editing && send.transaction == nil, "\(send.phase)")
        #expect(polls.value == 1)
    }
}
