import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import DropKit

/// A payment whose answer never came is the same payment after the app was killed and opened
/// again: confirmed with the same terms it goes under the same key (the server answers the first
/// attempt's outcome), while other terms, a definite answer or 20 minutes' wait (its approval window closed) make a new payment.
@Suite struct PendingPaymentTests {
    static let start = Date(timeIntervalSince1970: 1_791_979_200)  // 2026-10-14T12:00:00Z
    static let created = StubTransport.Answer(
        status: 201, body: #"{"transaction":\#(Wire.transaction("33333333-0000-4000-8000-000000000001", status: "pending_sca")),"scaRedirect":"https://bank.example/sca/1"}"#)

    /// Drop, the same across the phone's launches: a new quote for each price asked (q0, q1, …), and
    /// `answer` to each transfer sent, by its number.
    static func server(_ answer: @escaping @Sendable (Int) throws -> StubTransport.Answer) -> StubTransport {
        let quotes = Counter()
        let posts = Counter()
        return StubTransport { request, _ in
            switch request.route {
            case "GET /v1/recipients": return .init(status: 200, body: Wire.page(Wire.recipient()))
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/quotes": return .init(status: 201, body: Wire.quote(id: "q\(quotes.next())", expiresAt: "2026-10-20T12:00:00Z"))
            case "GET /v1/standing-orders": return .init(status: 200, body: #"{"items":[]}"#)
            case "POST /v1/transactions/remittance", "POST /v1/standing-orders": return try answer(posts.next())
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
    }

    /// One launch of the app: a new client and environment over the same server and kept keys.
    @MainActor static func environment(_ server: StubTransport, _ store: any PendingPaymentStore, _ clock: ManualClock) -> ClientEnvironment {
        let client = DropClient(baseURL: URL(string: "https://drop.example")!, tokens: InMemoryTokenStore(token: "t0"), transport: server, retryDelay: { _ in })
        return ClientEnvironment(client: client, now: { clock.now }, newIdempotencyKey: { "key-\(UUID().uuidString)" }, pendingPayments: store)
    }

    /// Send, launched anew, with the transfer typed in and priced.
    @MainActor static func send(_ server: StubTransport, _ store: any PendingPaymentStore, _ clock: ManualClock,
                                amount: String = "1 000", message: String = "Til mamma") async -> SendModel {
        let send = SendModel(environment: environment(server, store, clock))
        await send.load()
        send.select(send.recipients[0])
        send.setAmount(amount)
        send.message = message
        await send.refreshQuote()
        return send
    }

    static func transfers(_ server: StubTransport) -> [URLRequest] { server.requests.filter { $0.route == "POST /v1/transactions/remittance" } }
    static func key(_ request: URLRequest?) -> String? { request?.value(forHTTPHeaderField: "Idempotency-Key") }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("drop-pending-\(UUID().uuidString)", isDirectory: true)
    }

    @Test @MainActor func aTransferConfirmedAgainAfterARelaunchIsSentUnderItsKeyWithItsFirstBody() async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(Self.start)
        let server = Self.server { n in
            if n < 3 { throw URLError(.timedOut) }  // the first confirmation's answer never comes
            return Self.created
        }
        let first = await Self.send(server, FilePendingPaymentStore(directory: directory), clock)
        await first.confirm()
        let key = try #require(first.idempotencyKey)
        #expect(first.problem == .offline && first.quote?.id == "q0")
        // Only the hash of the terms and the key are written down: not the recipient, account or message.
        let file = try String(contentsOf: directory.appendingPathComponent("pending-payments.json"), encoding: .utf8)
        #expect(file.contains(key) && !file.contains("mamma") && !file.contains("11111111-") && !file.contains("22222222-"))

        // The app is killed. Opened again ten minutes later, the person sends the same at a new price.
        clock.advance(600)
        let second = await Self.send(server, FilePendingPaymentStore(directory: directory), clock)
        #expect(second.quote?.id == "q1" && second.idempotencyKey == nil)
        await second.confirm()
        let posts = Self.transfers(server)
        #expect(posts.count == 4 && posts.allSatisfy { Self.key($0) == key })
        // The very request the server may have taken: the same body (the first quote), so it answers with that transfer.
        #expect(posts[3].httpBody == posts[0].httpBody && posts[3].bodyText.contains(#""quoteId":"q0""#))
        #expect(second.phase == .awaitingApproval(URL(string: "https://bank.example/sca/1")!) && second.problem == nil)

        // Answered for good: the next transfer with the same terms is another one.
        let third = await Self.send(server, FilePendingPaymentStore(directory: directory), clock)
        await third.confirm()
        let last = try #require(Self.transfers(server).last)
        #expect(Self.key(last) != key && last.bodyText.contains(#""quoteId":"q2""#))
    }

    @Test @MainActor func anotherAmountAfterARelaunchIsAnotherTransferWithItsOwnKey() async throws {
        let store = InMemoryPendingPaymentStore()
        let clock = ManualClock(Self.start)
        let server = Self.server { _ in .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE"), headers: ["Retry-After": "30"]) }
        let first = await Self.send(server, store, clock)
        await first.confirm()
        let key = try #require(first.idempotencyKey)
        #expect(first.problem == .providerUnavailable(retryAfter: 30))

        let second = await Self.send(server, store, clock, amount: "2 000")
        await second.confirm()
        let changed = try #require(Self.transfers(server).last)
        #expect(Self.key(changed) != key && changed.bodyText.contains(#""quoteId":"q1""#))
        // Another message is another transfer too; the first one's terms still find its key.
        let third = await Self.send(server, store, clock, message: "Til pappa")
        await third.confirm()
        #expect(Self.key(Self.transfers(server).last) != key)
        let again = await Self.send(server, store, clock)
        await again.confirm()
        #expect(Self.key(Self.transfers(server).last) == key)
    }

    /// The first transfer's answer never came. Had the server made it, its approval at the bank was
    /// open 15 minutes: within 20 the same terms retry it (the first may still be on its way or
    /// waiting for approval), later the same terms are a new transfer, not a replay of an expired one,
    /// also on the screen that kept the key in memory.
    @Test @MainActor func aKeyIsKeptWhileItsPaymentCouldStillBeApprovedAndNoLonger() async throws {
        let store = InMemoryPendingPaymentStore()
        let clock = ManualClock(Self.start)
        let server = Self.server { _ in throw URLError(.networkConnectionLost) }
        let first = await Self.send(server, store, clock)
        await first.confirm()
        let key = try #require(first.idempotencyKey)
        clock.advance(20 * 60 - 1)
        let sameWindow = await Self.send(server, store, clock)
        await sameWindow.confirm()
        #expect(sameWindow.idempotencyKey == key && Self.transfers(server).last?.bodyText.contains(#""quoteId":"q0""#) == true)
        clock.advance(1)
        let laterThatDay = await Self.send(server, store, clock)
        await laterThatDay.confirm()
        #expect(laterThatDay.idempotencyKey != key && Self.key(Self.transfers(server).last) == laterThatDay.idempotencyKey)
        #expect(Self.transfers(server).last?.bodyText.contains(#""quoteId":"q2""#) == true)
    }

    /// The same on a screen left open with the key in memory: confirmed again within the window it
    /// retries the first request, after it the transfer on the screen is a new one at its new price.
    @Test @MainActor func aScreenLeftOpenPastTheApprovalWindowSendsANewTransfer() async throws {
        let clock = ManualClock(Self.start)
        let server = Self.server { _ in throw URLError(.networkConnectionLost) }
        let send = await Self.send(server, InMemoryPendingPaymentStore(), clock)
        await send.confirm()
        let key = try #require(send.idempotencyKey)
        clock.advance(20 * 60 - 1)
        await send.refreshQuote()
        await send.confirm()
        #expect(send.idempotencyKey == key && Self.transfers(server).last?.bodyText.contains(#""quoteId":"q0""#) == true)
        clock.advance(1)
        await send.refreshQuote()
        await send.confirm()
        #expect(send.idempotencyKey != key && Self.key(Self.transfers(server).last) == send.idempotencyKey)
        #expect(Self.transfers(server).last?.bodyText.contains(#""quoteId":"q2""#) == true)
    }

    @Test @MainActor func aDefiniteRefusalFreesTheKey() async throws {
        let store = InMemoryPendingPaymentStore()
        let clock = ManualClock(Self.start)
        let server = Self.server { n in n == 0 ? .init(status: 422, body: Wire.error("LIMIT_EXCEEDED")) : Self.created }
        let first = await Self.send(server, store, clock)
        await first.confirm()
        #expect(first.problem?.code == "LIMIT_EXCEEDED" && first.idempotencyKey == nil)
        let refusedKey = try #require(Self.key(Self.transfers(server).first))
        let second = await Self.send(server, store, clock)
        await second.confirm()
        #expect(Self.key(Self.transfers(server).last) != refusedKey && second.problem == nil)
    }

    @Test @MainActor func aQRPaymentPaidAgainAfterARelaunchKeepsItsKey() async throws {
        let store = InMemoryPendingPaymentStore()
        let clock = ManualClock(Self.start)
        let posts = Counter()
        let server = StubTransport { request, _ in
            switch request.route {
            case "GET /v1/merchants/kaffe-mona": return .init(status: 200, body: #"{"code":"kaffe-mona","name":"Monas Kaffebar","city":"Oslo","organisationNumber":"923456783","verified":true}"#)
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/transactions/qr-payment":
                if posts.next() < 3 { throw URLError(.timedOut) }
                return .init(status: 201, body: #"{"transaction":\#(Wire.transaction("33333333-0000-4000-8000-000000000001", status: "pending_sca", kind: "qr_payment")),"scaRedirect":"https://bank.example/sca/1"}"#)
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        @MainActor func pay(_ amount: String) async -> QRModel {
            let qr = QRModel(environment: Self.environment(server, store, clock))
            await qr.open("https://drop.example/pay/kaffe-mona")
            qr.setAmount(amount)
            await qr.pay()
            return qr
        }
        let first = await pay("49,50")
        let key = try #require(first.idempotencyKey)
        #expect(first.problem == .offline)
        let second = await pay("49,50")
        #expect(second.idempotencyKey == key && second.phase == .awaitingApproval(URL(string: "https://bank.example/sca/1")!))
        let third = await pay("49,50")
        #expect(third.idempotencyKey != key)
    }

    @Test @MainActor func aStandingOrderSetUpAgainAfterARelaunchKeepsItsKey() async throws {
        let store = InMemoryPendingPaymentStore()
        let clock = ManualClock(Self.start)
        let server = Self.server { n in
            if n < 3 { throw URLError(.networkConnectionLost) }
            let order = #"{"id":"so1","status":"pending_sca","amount":{"amountMinor":150000,"currency":"NOK"},"fee":{"amountMinor":500,"currency":"NOK"},"total":{"amountMinor":150500,"currency":"NOK"},"receiveCurrency":"EUR","frequency":"monthly","dayOfExecution":14,"startDate":"2026-10-14","bankAccountId":"a1","scaRedirect":"https://bank.example/sca/so1","createdAt":"2026-10-14T12:00:00Z"}"#
            return .init(status: 201, body: #"{"standingOrder":\#(order),"scaRedirect":"https://bank.example/sca/so1"}"#)
        }
        let order = NewStandingOrder(recipientId: "r1", bankAccountId: "a1", amountMinor: 150_000, frequency: .monthly, startDate: "2026-10-14")
        func keys() -> [String?] { server.requests.filter { $0.route == "POST /v1/standing-orders" }.map { Self.key($0) } }
        await StandingOrdersModel(environment: Self.environment(server, store, clock)).create(order)
        let key = try #require(keys().last ?? nil)
        // An hour later: an order has no 15-minute approval window at Drop, so it is still the same request.
        clock.advance(3600)
        let relaunched = StandingOrdersModel(environment: Self.environment(server, store, clock))
        await relaunched.create(order)
        #expect(keys().count == 4 && Set(keys()) == [key])
        #expect(relaunched.problem == nil && relaunched.approvalURL == URL(string: "https://bank.example/sca/so1"))
        // Set up: the same order asked for again is another request.
        await StandingOrdersModel(environment: Self.environment(server, store, clock)).create(order)
        #expect(keys().last != key)
    }

    @Test func theFileKeepsPaymentsAcrossInstancesAndForgetsThemWhenCleared() async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let transfer = PaymentIntent("remittance", ["amountMinor": 100_000])
        let other = PaymentIntent("remittance", ["amountMinor": 200_000])
        #expect(transfer != other && transfer == PaymentIntent("remittance", ["amountMinor": 100_000]))
        let kept = PendingPayment(key: "k1", quoteId: "q0", savedAt: Self.start)
        #expect(await FilePendingPaymentStore(directory: directory).load(for: transfer, at: Self.start) == nil)
        #expect(await FilePendingPaymentStore(directory: directory).keep(kept, for: transfer) == kept)
        // A second tap (or launch) gets the payment already kept, not its own candidate.
        let later = Self.start.addingTimeInterval(60)
        #expect(await FilePendingPaymentStore(directory: directory).keep(PendingPayment(key: "k2", savedAt: later), for: transfer) == kept)
        _ = await FilePendingPaymentStore(directory: directory).keep(PendingPayment(key: "k3", savedAt: later), for: other)
        let reopened = FilePendingPaymentStore(directory: directory)
        #expect(await reopened.load(for: transfer, at: later) == kept)
        #expect(await reopened.load(for: transfer, at: Self.start.addingTimeInterval(20 * 60 - 1)) == kept)
        #expect(await reopened.load(for: transfer, at: Self.start.addingTimeInterval(20 * 60)) == nil)
        await reopened.clear(for: transfer)
        #expect(await FilePendingPaymentStore(directory: directory).load(for: transfer, at: later) == nil)
        #expect(await FilePendingPaymentStore(directory: directory).load(for: other, at: later)?.key == "k3")
    }

    @Test func aFileThatCannotBeReadCountsAsEmpty() async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("pending-payments.json")
        let intent = PaymentIntent("qr-payment", ["amountMinor": 4_950])
        for garbage in [Data("{\"abc\":{\"key\":".utf8), Data([0xFF, 0x00, 0xFE]), Data("[]".utf8), Data()] {
            try garbage.write(to: file)
            let store = FilePendingPaymentStore(directory: directory)
            #expect(await store.load(for: intent, at: Self.start) == nil)
            let fresh = PendingPayment(key: "k", savedAt: Self.start)
            #expect(await store.keep(fresh, for: intent) == fresh)
            #expect(await FilePendingPaymentStore(directory: directory).load(for: intent, at: Self.start) == fresh)
        }
    }
}
