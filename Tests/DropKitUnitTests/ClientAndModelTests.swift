import Foundation
import Testing
@testable import DropKit

@Suite("DropKit client and view models")
struct DropKitClientAndModelTests {
    @Test func anEndedSessionForgetsTheTokenAndSignsTheAppOut() async throws {
        let tokens = InMemoryTokenStore(token: "expired")
        let (client, transport) = StubTransport.client(tokens: tokens) { _, _ in .init(status: 401, body: Wire.error("UNAUTHENTICATED")) }
        let session = await SessionModel(client: client)
        await session.restore()
        #expect(await session.state == .signedOut(.expired))
        #expect(await tokens.load() == nil)
        #expect(transport.requests.first?.value(forHTTPHeaderField: "Authorization") == "Bearer expired")
        // Without a token nothing is asked.
        await session.restore()
        #expect(await session.state == .signedOut(nil) && transport.requests.count == 1)
    }

    @Test @MainActor func offlineAtLaunchKeepsTheSession() async {
        let tokens = InMemoryTokenStore(token: "good")
        let (client, _) = StubTransport.client(tokens: tokens) { _, _ in throw URLError(.notConnectedToInternet) }
        let session = SessionModel(client: client)
        await session.restore()
        #expect(session.state == .unknown && session.problem == .offline)
        #expect(await tokens.load() == "good")
    }

    @Test @MainActor func anAmountInTheRecipientsCurrencyAsksForThatMuchToArrive() async throws {
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/recipients": .init(status: 200, body: Wire.page(Wire.recipient()))
            case "GET /v1/bank-accounts": .init(status: 200, body: Wire.page(Wire.account))
            default: .init(status: 201, body: Wire.quote(id: "q", expiresAt: "2026-10-14T12:15:00Z"))
            }
        }
        let send = SendModel(environment: ClientEnvironment(client: client, now: { Date(timeIntervalSince1970: 1_791_979_200) }))
        await send.load()
        send.select(send.recipients[0])
        send.setAmount("85,10", side: .receive)
        #expect(send.amountCurrency == "EUR" && send.amountMinor == 8_510)
        await send.refreshQuote()
        let body = try #require(transport.requests.last?.bodyText)
        #expect(body.contains(#""receiveAmountMinor":8510"#) && !body.contains("sendAmountMinor") && send.secondsLeft == 900)
        send.setAmount("12x")
        #expect(send.amountIssue?.issue == "format" && send.quote == nil)
    }

    /// "1000" to send and "1000" to receive are the same minor units in EUR: a price asked for one
    /// side that arrives after the person switched to the other is not shown, nor confirmed.
    @Test @MainActor func aPriceForTheOtherSideOfTheAmountIsNotShown() async throws {
        let (_, stub) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/recipients": .init(status: 200, body: Wire.page(Wire.recipient()))
            case "GET /v1/bank-accounts": .init(status: 200, body: Wire.page(Wire.account))
            default: .init(status: 201, body: Wire.quote(id: "q", expiresAt: "2026-10-14T12:15:00Z"))
            }
        }
        let transport = HeldFirstQuote(stub)
        let client = DropClient(baseURL: URL(string: "https://drop.example")!, tokens: InMemoryTokenStore(token: "t0"), transport: transport,
                                retryDelay: { _ in })
        let send = SendModel(environment: ClientEnvironment(client: client, now: { Date(timeIntervalSince1970: 1_791_979_200) }))
        await send.load()
        send.select(send.recipients[0])
        send.setAmount("1000")
        let asking = Task { await send.refreshQuote() }
        for await _ in transport.asked { break }
        send.setAmount("1000", side: .receive)
        #expect(send.amountMinor == 100_000 && send.amountCurrency == "EUR")
        transport.release.yield()
        await asking.value
        // The answer priced 1,000 NOK to send (85.10 EUR to arrive), not the 1,000 EUR now asked for.
        #expect(send.quote == nil && !send.canConfirm)
        await send.refreshQuote()
        #expect(send.quote?.id == "q" && stub.requests.last?.bodyText.contains(#""receiveAmountMinor":100000"#) == true)
    }

    @Test @MainActor func signInExchangesOnlyTheCodeItAskedFor() async throws {
        let (client, transport) = StubTransport.client(tokens: InMemoryTokenStore()) { request, _ in
            #expect(request.route == "POST /v1/auth/token")
            return .init(status: 200, body: #"{"token":"t1","expiresAt":"2026-11-14T12:00:00Z","user":\#(Wire.userJSON)}"#)
        }
        let device = DeviceID.make()
        #expect(device.count == 43 && device != DeviceID.make())
        let session = SessionModel(client: client, deviceId: device)
        // A planted callback with no sign-in under way is never exchanged.
        #expect(await session.open(.authCallback(code: "planted")))
        #expect(session.state == .signedOut(.failed("INVALID_STATE")) && transport.requests.isEmpty)

        let url = session.beginSignIn()
        #expect(session.state == .signingIn)
        let challenge = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "code_challenge" }?.value)
        #expect(await session.open(.authCallback(code: "c1")))
        #expect(session.user?.name == "Kari Nordmann")
        #expect(await client.tokens.load() == "t1")
        let sent = try JSONDecoder().decode(TokenExchange.self, from: try #require(transport.requests.last?.httpBody))
        #expect(sent.code == "c1" && PKCE.challenge(for: sent.codeVerifier) == challenge && sent.deviceId == device)

        _ = session.beginSignIn()
        #expect(await session.open(.authFailed(error: "AGE_RESTRICTED")))
        #expect(session.state == .signedOut(.failed("AGE_RESTRICTED")))
        #expect(await session.open(.bankLinked(bank: "dnb")) == false)
    }

    @Test func safeRequestsAreRetriedAndPaymentsOnlyWithTheirKey() async throws {
        let (client, transport) = StubTransport.client { request, index in
            index < 2 ? .init(status: 503, body: "") : .init(status: 200, body: Wire.page())
        }
        _ = try await client.recipients()
        #expect(transport.requests.count == 3)

        let (refusing, refused) = StubTransport.client { _, _ in .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE"), headers: ["Retry-After": "30"]) }
        await #expect(throws: APIError.self) { try await refusing.connectBank("dnb") }
        #expect(refused.requests.count == 1)  // a POST without a key is never repeated
        do {
            _ = try await refusing.sendMoney(RemittanceInput(recipientId: "r", quoteId: "q", bankAccountId: "a"), idempotencyKey: "k1")
        } catch let error as APIError {
            #expect(error.problem == .providerUnavailable(retryAfter: 30))
        }
        // Drop asked for 30 s: that is the person's to see, not a spinner's.
        #expect(refused.requests.count == 2 && refused.requests.last?.value(forHTTPHeaderField: "Idempotency-Key") == "k1")
    }

    /// A 503 to a payment is tried again after the `Retry-After` Drop asked for when it is short, under
    /// the same key each time; a longer one comes back at once for the view to show.
    @Test func aPaymentIsRetriedAfterTheWaitDropAskedFor() async throws {
        let waits = Waits()
        func client(_ transport: StubTransport) -> DropClient {
            DropClient(baseURL: URL(string: "https://drop.example")!, tokens: InMemoryTokenStore(token: "t0"), transport: transport,
                       retryDelay: { waits.add($0) })
        }
        let input = RemittanceInput(recipientId: "r", quoteId: "q", bankAccountId: "a")
        for (header, expected) in [("2", [Duration.seconds(2), .seconds(2)]), ("0", [.milliseconds(200), .milliseconds(400)]),
                                   (nil, [.milliseconds(200), .milliseconds(400)])] as [(String?, [Duration])] {
            waits.reset()
            let busy = StubTransport { _, index in
                index < 2 ? .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE"), headers: header.map { ["Retry-After": $0] } ?? [:])
                    : .init(status: 201, body: #"{"transaction":\#(Wire.transaction("t1", status: "pending_sca")),"scaRedirect":"https://bank.example/sca/1"}"#)
            }
            _ = try await client(busy).sendMoney(input, idempotencyKey: "k1")
            #expect(waits.all == expected, "Retry-After: \(header ?? "none")")
            #expect(busy.requests.count == 3 && busy.requests.allSatisfy { $0.value(forHTTPHeaderField: "Idempotency-Key") == "k1" })
        }
        waits.reset()
        let later = StubTransport { _, _ in .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE"), headers: ["Retry-After": "6"]) }
        let error = await #expect(throws: APIError.self) { try await client(later).sendMoney(input, idempotencyKey: "k1") }
        #expect(error?.problem == .providerUnavailable(retryAfter: 6) && later.requests.count == 1 && waits.all.isEmpty)
    }

    @Test func pathsAreEncodedAndQueriesKept() async throws {
        let (client, transport) = StubTransport.client { _, _ in .init(status: 200, body: #"{"code":"a","name":"b","city":"c","organisationNumber":"923456783","verified":true}"#) }
        _ = try await client.merchant(code: "a/../b")
        _ = try? await client.transactions(TransactionFilter(status: .completed, kind: .qrPayment, limit: 5))
        #expect(transport.requests[0].url?.absoluteString == "https://drop.example/v1/merchants/a%2F..%2Fb")
        #expect(transport.requests[1].url?.absoluteString == "https://drop.example/v1/transactions?limit=5&status=completed&kind=qr_payment")
    }

    /// The whole Send journey against a scripted server: countdown, refresh at expiry, a confirm
    /// that times out and is retried with the same key and body, the bank's return, the status to the end.
    @Test @MainActor func sendCountsDownRetriesWithTheSameKeyAndFollowsToTheEnd() async throws {
        let start = Date(timeIntervalSince1970: 1_791_979_200)  // 2026-10-14T12:00:00Z
        let clock = ManualClock(start)
        let keys = Counter()
        let quotes = Counter()
        let polls = Counter()
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/recipients": return .init(status: 200, body: Wire.page(Wire.recipient()))
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/quotes":
                let n = quotes.next()
                return .init(status: 201, body: Wire.quote(id: "q\(n)", expiresAt: n == 0 ? "2026-10-14T12:00:05Z" : "2026-10-14T12:15:00Z"))
            case "POST /v1/transactions/remittance":
                if keys.next() < 3 { throw URLError(.timedOut) }  // the client's own retries fail too
                return .init(status: 201, body: #"{"transaction":\#(Wire.transaction("33333333-0000-4000-8000-000000000001", status: "pending_sca")),"scaRedirect":"https://bank.example/sca/1"}"#)
            case "GET /v1/transactions/33333333-0000-4000-8000-000000000001":
                let read = polls.next()
                return .init(status: 200, body: Wire.transaction("33333333-0000-4000-8000-000000000001", status: read < 3 ? "processing" : "completed"))
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let environment = ClientEnvironment(client: client, now: { clock.now }, sleep: { duration in
                                              // Time passes by the slept amount; a real pause lets the test look in between.
                                              clock.advance(Double(duration.components.seconds))
                                              try await Task.sleep(for: .milliseconds(5))
                                          },
                                          newIdempotencyKey: { "key-\(UUID().uuidString)" }, pollInterval: .seconds(2), maxPolls: 10)
        let send = SendModel(environment: environment)
        await send.load()
        #expect(send.recipients.count == 1 && send.account?.bank.id == "dnb")
        send.select(send.recipients[0])
        send.setAmount("1 000")
        #expect(send.amountMinor == 100_000 && send.amountCurrency == "NOK")
        await send.refreshQuote()
        #expect(send.quote?.id == "q0" && send.secondsLeft == 5 && send.canConfirm)
        clock.advance(3)
        send.tick()
        #expect(send.secondsLeft == 2)
        clock.advance(2)
        send.tick()
        #expect(send.secondsLeft == 0 && !send.canConfirm)
        // The countdown asks for a new price when it lapses.
        let countdown = Task { await send.runCountdown() }
        for _ in 0..<2000 where send.quote?.id != "q1" { try await Task.sleep(for: .milliseconds(1)) }
        countdown.cancel()
        _ = await countdown.value
        #expect(send.quote?.id == "q1" && send.secondsLeft > 800)

        await send.confirm()
        let key = try #require(send.idempotencyKey)
        #expect(send.problem == .offline && send.phase == .editing)
        await send.confirm()
        let posts = transport.requests.filter { $0.route == "POST /v1/transactions/remittance" }
        #expect(posts.count == 4 && posts.allSatisfy { $0.value(forHTTPHeaderField: "Idempotency-Key") == key })
        #expect(posts[0].httpBody == posts[3].httpBody && posts[0].bodyText.contains(#""quoteId":"q1""#) && posts[0].bodyText.contains(#""client":"mobile""#))
        #expect(send.phase == .awaitingApproval(URL(string: "https://bank.example/sca/1")!))

        #expect(await send.open(.transaction(id: "44444444-0000-4000-8000-000000000001")) == false)
        #expect(await send.open(DeepLink(url: URL(string: "drop://transactions/33333333-0000-4000-8000-000000000001")!)!))
        #expect(send.phase == .finished(.completed) && send.transaction?.status == .completed)

        // A new transfer gets a new key.
        send.startOver()
        #expect(send.idempotencyKey == nil)
    }

    /// The confirmation names the payee the app showed; a recipient edited since is reloaded as a new
    /// draft, not paid, and the person is told.
    @Test @MainActor func aRecipientChangedSinceItWasShownIsReloadedNotPaid() async throws {
        let edited = Counter()
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/recipients":
                let version = edited.next() == 0 ? "v-shown" : "v-edited"
                return .init(status: 200, body: Wire.page(Wire.recipient().replacingOccurrences(of: #""rail""#, with: #""payeeVersion":"\#(version)","rail""#)))
            case "GET /v1/bank-accounts": return .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/quotes": return .init(status: 201, body: Wire.quote(id: "q0", expiresAt: "2026-10-14T12:15:00Z"))
            case "POST /v1/transactions/remittance": return .init(status: 409, body: Wire.error("RECIPIENT_CHANGED"))
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let send = SendModel(environment: ClientEnvironment(client: client, now: { Date(timeIntervalSince1970: 1_791_979_200) }))
        await send.load()
        send.select(send.recipients[0])
        send.setAmount("1 000")
        await send.refreshQuote()
        #expect(send.canConfirm)
        await send.confirm()
        let post = try #require(transport.requests.first { $0.route == "POST /v1/transactions/remittance" })
        #expect(post.bodyText.contains(#""payeeVersion":"v-shown""#))
        #expect(send.problem == .conflict(code: "RECIPIENT_CHANGED", message: "RECIPIENT_CHANGED happened."))
        #expect(send.recipient?.payeeVersion == "v-edited" && send.quote == nil && send.idempotencyKey == nil && !send.canConfirm)
    }

    @Test @MainActor func aRefusedRecipientShowsEachFieldsIssue() async {
        let (client, _) = StubTransport.client { _, _ in
            .init(status: 422, body: Wire.error("VALIDATION_FAILED", #"[{"field":"iban","issue":"checksum"}]"#))
        }
        let send = SendModel(environment: ClientEnvironment(client: client))
        #expect(await send.addRecipient(RecipientInput(name: "Hans", country: "DE", currency: "EUR", iban: "DE00")) == false)
        #expect(send.recipientIssues == ["iban": FieldIssue(issue: "checksum")] && send.recipient == nil)
    }

    @Test @MainActor func qrChecksTheOriginAndTheCodesTerms() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_791_979_200))
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/merchants/kaffe-mona": .init(status: 200, body: #"{"code":"kaffe-mona","name":"Monas Kaffebar","city":"Oslo","organisationNumber":"923456783","verified":true}"#)
            case "GET /v1/bank-accounts": .init(status: 200, body: Wire.page(Wire.account))
            case "POST /v1/transactions/qr-payment": .init(status: 422, body: Wire.error("VALIDATION_FAILED", #"[{"field":"amountMinor","issue":"too_small"}]"#))
            default: .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let qr = QRModel(environment: ClientEnvironment(client: client, now: { clock.now }))
        await qr.open("https://evil.example/pay/kaffe-mona")
        #expect(qr.link == .refused(.foreignOrigin(host: "evil.example")) && transport.requests.isEmpty)
        await qr.open("https://drop.example/pay/kaffe-mona?amount=100&ref=x&exp=1791979100&sig=abc")
        #expect(qr.link == .expired && transport.requests.isEmpty)
        // Within the code's last second the server still takes it (DropCore's `PaymentLink.hasExpired`): so does the app.
        clock.advance(-99.5)
        await qr.open("https://drop.example/pay/kaffe-mona?amount=100&ref=x&exp=1791979100&sig=abc")
        guard case .ready = qr.link else { Issue.record("refused in its last second: \(qr.link)"); return }
        clock.advance(1)
        await qr.open("https://drop.example/pay/kaffe-mona?amount=100&ref=x&exp=1791979100&sig=abc")
        #expect(qr.link == .expired)

        await qr.open("https://drop.example/pay/kaffe-mona")
        guard case .ready(_, let merchant) = qr.link else { Issue.record("not ready: \(qr.link)"); return }
        #expect(merchant.name == "Monas Kaffebar" && qr.needsAmount && !qr.canPay)
        qr.setAmount("49,50")
        #expect(qr.amountMinor == 4950 && qr.canPay)
        await qr.pay()
        #expect(qr.amountIssue == FieldIssue(issue: "too_small") && qr.idempotencyKey == nil && qr.phase == .editing)
    }

    @Test @MainActor func homeTellsHowOldTheBalanceIs() async {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_791_979_200 + 600))
        let (client, _) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/balance":
                .init(status: 200, body: #"{"total":{"amountMinor":4235000,"currency":"NOK"},"accounts":[\#(Wire.account)],"stale":true,"syncedAt":"2026-10-14T12:00:00Z"}"#)
            case "GET /v1/transactions": .init(status: 200, body: Wire.page(Wire.transaction("33333333-0000-4000-8000-000000000001", status: "completed")))
            case "GET /v1/notifications": .init(status: 200, body: #"{"items":[],"nextCursor":null,"unreadCount":3}"#)
            default: .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let home = HomeModel(environment: ClientEnvironment(client: client, now: { clock.now }))
        #expect(home.staleness == .none)
        await home.load()
        #expect(home.staleness == .stale(age: 600) && home.unreadCount == 3 && home.recent.count == 1 && home.problem == nil)
    }

    @Test @MainActor func theMerchantsLiveEventsUpdateThePayments() throws {
        let (client, _) = StubTransport.client { _, _ in .init(status: 404, body: Wire.error("NOT_FOUND")) }
        let board = MerchantModel(environment: ClientEnvironment(client: client))
        func event(_ seq: Int64, _ status: String) throws -> MerchantEvent {
            try JSONDecoder.iso.decode(MerchantEvent.self, from: Data(#"{"seq":\#(seq),"transactionId":"t1","status":"\#(status)","amount":{"amountMinor":24900,"currency":"NOK"},"reference":"Bord 4","at":"2026-10-14T12:0\#(seq):00Z"}"#.utf8))
        }
        board.apply(try event(1, "pending_sca"))
        board.apply(try event(2, "processing"))
        #expect(board.payments.count == 1 && board.completedTotal.amountMinor == 0)
        board.apply(try event(3, "completed"))
        #expect(board.payments.map(\.status) == [.completed] && board.completedTotal.amountMinor == 24_900)
        #expect(board.payments[0].createdAt < board.payments[0].completedAt!)

        // The payer's bank then reports it reversed: the row says so at once, still completed, paid when it was.
        var parser = ServerSentEventParser()
        let wire = #"{"seq":4,"transactionId":"t1","status":"completed","amount":{"amountMinor":24900,"currency":"NOK"},"reference":"Bord 4","at":"2026-10-14T12:30:00Z"}"#
        let read = try parser.feed(Data("id: 4\nevent: reversal_reported\ndata: \(wire)\n\nevent: refund_made\ndata: {}\n\n".utf8))
            .map(DropClient.merchantEvent)
        #expect(read.count == 2 && read[1] == nil, "an event this version doesn't know is skipped")
        let reversal = try #require(read[0])
        #expect(reversal.kind == .reversalReported && reversal.status == .completed)
        let paidAt = board.payments[0].completedAt
        board.apply(reversal)
        #expect(board.payments.count == 1 && board.payments[0].status == .completed && board.payments[0].completedAt == paidAt)
        #expect(board.payments[0].reversalReportedAt == ISO8601DateFormatter().date(from: "2026-10-14T12:30:00Z"))
        #expect(board.completedTotal.amountMinor == 24_900)
    }

    /// A payment the payer cancelled, then paid by their bank after all: the row stays cancelled but says
    /// it was paid, and the shop's total counts it (the shop has the money: it must not ask again).
    @Test @MainActor func aPaymentPaidAfterItEndedCountsAsReceived() throws {
        let (client, _) = StubTransport.client { _, _ in .init(status: 404, body: Wire.error("NOT_FOUND")) }
        let board = MerchantModel(environment: ClientEnvironment(client: client))
        func wire(_ seq: Int64, _ status: String) -> String {
            #"{"seq":\#(seq),"transactionId":"t1","status":"\#(status)","amount":{"amountMinor":24900,"currency":"NOK"},"reference":"Bord 4","at":"2026-10-14T12:0\#(seq):00Z"}"#
        }
        board.apply(try JSONDecoder.iso.decode(MerchantEvent.self, from: Data(wire(1, "pending_sca").utf8)))
        board.apply(try JSONDecoder.iso.decode(MerchantEvent.self, from: Data(wire(2, "cancelled").utf8)))
        #expect(board.payments.map(\.status) == [.cancelled] && board.completedTotal.amountMinor == 0)

        var parser = ServerSentEventParser()
        let read = try parser.feed(Data("id: 3\nevent: settled_after_end\ndata: \(wire(3, "cancelled"))\n\n".utf8)).map(DropClient.merchantEvent)
        let settled = try #require(read.first ?? nil)
        #expect(settled.kind == .settledAfterEnd && settled.status == .cancelled)
        board.apply(settled)
        #expect(board.payments.count == 1 && board.payments[0].status == .cancelled && board.payments[0].received)
        #expect(board.payments[0].settledAfterEndAt == ISO8601DateFormatter().date(from: "2026-10-14T12:03:00Z"))
        #expect(board.completedTotal.amountMinor == 24_900)
    }

    /// A busy day: the dashboard lists the newest payments only, but its total is the day's. The live
    /// total starts from the server's and adds what the events make received, never the sum of the list.
    @Test @MainActor func theLiveTotalOfABusyDayIsTheServersTotalPlusTheEvents() async throws {
        func payment(_ id: String, _ status: String) -> String {
            #"{"id":"\#(id)","status":"\#(status)","amount":{"amountMinor":24900,"currency":"NOK"},"createdAt":"2026-10-14T11:00:00Z"}"#
        }
        // 250 payments received today; the answer lists the newest two.
        let dashboard = #"{"from":"2026-10-13T22:00:00Z","to":"2026-10-14T22:00:00Z","payments":[\#(payment("t250", "completed")),\#(payment("t249", "processing"))],"days":[{"date":"2026-10-14","count":250,"total":{"amountMinor":6225000,"currency":"NOK"}}],"count":250,"total":{"amountMinor":6225000,"currency":"NOK"},"fees":{"amountMinor":0,"currency":"NOK"},"lastEventId":500}"#
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/merchants/me":
                return .init(status: 200, body: #"{"id":"m1","code":"kaffe-mona","organisationNumber":"923456783","name":"Monas Kaffebar","mcc":"5814","city":"Oslo","settlementAccount":"12345678903","verified":true,"createdAt":"2026-10-01T12:00:00Z"}"#)
            case "GET /v1/merchants/me/dashboard":
                return .init(status: 200, body: dashboard)
            default: return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let board = MerchantModel(environment: ClientEnvironment(client: client))
        await board.load()
        #expect(board.problem == nil && board.completedTotal == board.dashboard?.total)
        func event(_ seq: Int64, _ id: String, _ status: String, kind: String = "payment") throws -> MerchantEvent {
            var parser = ServerSentEventParser()
            let data = #"{"seq":\#(seq),"transactionId":"\#(id)","status":"\#(status)","amount":{"amountMinor":24900,"currency":"NOK"},"at":"2026-10-14T12:00:00Z"}"#
            return try #require(try parser.feed(Data("id: \(seq)\nevent: \(kind)\ndata: \(data)\n\n".utf8)).map(DropClient.merchantEvent).first ?? nil)
        }
        board.apply(try event(501, "t249", "completed"))
        board.apply(try event(502, "t251", "pending_sca"))
        board.apply(try event(503, "t251", "completed"))
        #expect(board.completedTotal.amountMinor == 6_225_000 + 2 * 24_900)
        // One received earlier, not on the list: reported reversed (still received), then one paid after it ended.
        board.apply(try event(504, "t17", "completed", kind: "reversal_reported"))
        board.apply(try event(505, "t18", "cancelled", kind: "settled_after_end"))
        #expect(board.completedTotal.amountMinor == 6_225_000 + 3 * 24_900)
        await board.load()
        #expect(board.completedTotal.amountMinor == 6_225_000)

        // Past midnight in Oslo (the dashboard's `to`): the first payment of the new day reads the new day's board.
        let reads = transport.requests.filter { $0.route == "GET /v1/merchants/me/dashboard" }.count
        await board.live { _ in
            AsyncThrowingStream { continuation in
                continuation.yield(try! event(506, "t252", "pending_sca"))
                var parser = ServerSentEventParser()
                let data = #"{"seq":507,"transactionId":"t253","status":"pending_sca","amount":{"amountMinor":24900,"currency":"NOK"},"at":"2026-10-14T22:00:30Z"}"#
                continuation.yield(try! parser.feed(Data("id: 507\nevent: payment\ndata: \(data)\n\n".utf8)).compactMap(DropClient.merchantEvent)[0])
                continuation.finish(throwing: APIError(status: 401, code: "UNAUTHENTICATED", message: "Signed out."))
            }
        }
        #expect(transport.requests.filter { $0.route == "GET /v1/merchants/me/dashboard" }.count == reads + 1)
    }

    /// Events about payments made on an earlier day: one made a minute before midnight that the payer approves
    /// after it, one Drop had ended that the bank pays days later. The server counts each under the day it was
    /// made, so today's live total stays what the server's dashboard shows after a reload, and neither is
    /// listed among today's payments.
    @Test @MainActor func anEventAboutAnEarlierDaysPaymentLeavesTodaysTotal() async throws {
        // Today's board in Oslo: one payment, completed.
        let dashboard = #"{"from":"2026-10-13T22:00:00Z","to":"2026-10-14T22:00:00Z","payments":[{"id":"t2","status":"completed","amount":{"amountMinor":24900,"currency":"NOK"},"createdAt":"2026-10-14T09:00:00Z"}],"days":[{"date":"2026-10-14","count":1,"total":{"amountMinor":24900,"currency":"NOK"}}],"count":1,"total":{"amountMinor":24900,"currency":"NOK"},"fees":{"amountMinor":0,"currency":"NOK"},"lastEventId":10}"#
        let (client, _) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/merchants/me":
                .init(status: 200, body: #"{"id":"m1","code":"kaffe-mona","organisationNumber":"923456783","name":"Monas Kaffebar","mcc":"5814","city":"Oslo","settlementAccount":"12345678903","verified":true,"createdAt":"2026-10-01T12:00:00Z"}"#)
            case "GET /v1/merchants/me/dashboard": .init(status: 200, body: dashboard)
            default: .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let board = MerchantModel(environment: ClientEnvironment(client: client))
        await board.load()
        #expect(board.problem == nil && board.completedTotal.amountMinor == 24_900)
        func event(_ seq: Int64, _ id: String, _ status: String, kind: String = "payment", createdAt: String?) throws -> MerchantEvent {
            var parser = ServerSentEventParser()
            let made = createdAt.map { #","createdAt":"\#($0)""# } ?? ""
            let data = #"{"seq":\#(seq),"transactionId":"\#(id)","status":"\#(status)","amount":{"amountMinor":24900,"currency":"NOK"},"at":"2026-10-13T22:01:00Z"\#(made)}"#
            return try #require(try parser.feed(Data("id: \(seq)\nevent: \(kind)\ndata: \(data)\n\n".utf8)).map(DropClient.merchantEvent).first ?? nil)
        }
        // Made at 23:59 yesterday, approved at 00:01: yesterday's money.
        board.apply(try event(11, "t1", "completed", createdAt: "2026-10-13T21:59:00Z"))
        // Cancelled last week, paid by the bank today: last week's money.
        board.apply(try event(12, "t0", "cancelled", kind: "settled_after_end", createdAt: "2026-10-07T10:00:00Z"))
        #expect(board.payments.map(\.id) == ["t2"] && board.completedTotal.amountMinor == 24_900)
        // Today's count as before, and so does an event from a server that doesn't say when the payment was made.
        board.apply(try event(13, "t3", "completed", createdAt: "2026-10-13T22:00:30Z"))
        board.apply(try event(14, "t4", "completed", createdAt: nil))
        #expect(board.payments.map(\.id) == ["t4", "t3", "t2"] && board.completedTotal.amountMinor == 3 * 24_900)
        #expect(board.payments[1].createdAt == ISO8601DateFormatter().date(from: "2026-10-13T22:00:30Z"))
    }

    /// Drop ends each stream after five minutes and a phone's network drops it: the board opens it again
    /// from the last event it saw, applies nothing twice, and stops only when the session has ended.
    @Test @MainActor func theLiveBoardOpensTheStreamAgainFromTheLastEventSeen() async throws {
        let (client, _) = StubTransport.client { _, _ in .init(status: 404, body: Wire.error("NOT_FOUND")) }
        let pauses = Counter()
        let board = MerchantModel(environment: ClientEnvironment(client: client, sleep: { _ in pauses.increment() }))
        func event(_ seq: Int64, _ id: String, _ status: String) throws -> MerchantEvent {
            try JSONDecoder.iso.decode(MerchantEvent.self, from: Data(#"{"seq":\#(seq),"transactionId":"\#(id)","status":"\#(status)","amount":{"amountMinor":24900,"currency":"NOK"},"at":"2026-10-14T12:0\#(seq):00Z"}"#.utf8))
        }
        let streams: [([MerchantEvent], (any Error)?)] = [
            ([try event(1, "t1", "pending_sca"), try event(2, "t1", "completed")], nil),  // the server's five minutes are up
            ([try event(1, "t1", "pending_sca"), try event(3, "t2", "pending_sca")], URLError(.networkConnectionLost)),
            ([], APIError(status: 401, code: "UNAUTHENTICATED", message: "Signed out.")),
        ]
        var opened: [Int64?] = []
        await board.live { after in
            let (events, end) = streams[min(opened.count, streams.count - 1)]
            opened.append(after)
            return AsyncThrowingStream { continuation in
                events.forEach { continuation.yield($0) }
                continuation.finish(throwing: end)
            }
        }
        #expect(opened == [nil, 2, 3])
        #expect(board.payments.map(\.id) == ["t2", "t1"] && board.payments.map(\.status) == [.pendingSCA, .completed])
        #expect(board.completedTotal.amountMinor == 24_900 && pauses.value == 2)
        #expect(board.problem == .signedOut && !board.isLive)
    }

    @Test func everyOperationHasAUse() {
        let methods = DropClient.operations.values.filter { if case .method = $0 { true } else { false } }
        #expect(methods.count >= 50)
    }
}

/// Counts calls across tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { defer { count += 1 }; return count } }
    func increment() { _ = next() }
    var value: Int { lock.withLock { count } }
}

/// The waits the client asked for between attempts, in order.
final class Waits: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Duration] = []
    func add(_ wait: Duration) { lock.withLock { waits.append(wait) } }
    func reset() { lock.withLock { waits = [] } }
    var all: [Duration] { lock.withLock { waits } }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
