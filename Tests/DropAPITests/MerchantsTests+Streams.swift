import DropKit
import Foundation
import Testing
@testable import DropAPI
@testable import DropStore

/// Live events end with the session, are capped per user, and one poller feeds every stream.
extension MerchantsTests {
    @Test func aStreamEndsSoonAfterLogout() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let stream = try await server.openEventStream(auth: mona.auth)
            #expect(stream.status == 200)
            // Still open while the session is.
            #expect(await stream.ends(within: 6) == false)
            #expect(try await server.request(.POST, "/v1/auth/logout", headers: [mona.auth]).status == 204)
            // The next heartbeat (every 5 s) finds the session ended, and so does the stream.
            #expect(await stream.ends(within: 8))
            stream.close()
            #expect(try await server.openEventStream(auth: mona.auth).status == 401)
        }
    }

    @Test func aFourthStreamClosesTheOldestAndEveryOpenStreamSeesTheSamePayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            var streams: [LiveServer.EventStream] = []
            for _ in 0..<3 { streams.append(try await server.openEventStream(auth: mona.auth)) }
            #expect(streams.allSatisfy { $0.status == 200 })
            let fourth = try await server.openEventStream(auth: mona.auth)
            #expect(fourth.status == 200)
            // The oldest gives way; the other three stay.
            #expect(await streams[0].ends(within: 3))
            streams[0].close()

            let link = try await server.get("/v1/merchants/me/qr?amountMinor=12000&reference=Bord%209", headers: [mona.auth])
            let url = try link.decode(PaymentLinkInfo.self).url
            let created = try await Self.pay(server, kari.auth, key: "fan-out",
                                             try Self.body(paying: url, base: server.services.publicBaseURL.url, from: kari.accountId))
            #expect(created.status == 201)
            let id = try created.decode(TransactionCreated.self).transaction.id
            // One poller in this process; every stream gets the event, with the same id.
            var seen: [[String?]] = []
            for stream in [streams[1], streams[2], fourth] {
                let events = try await stream.collect(until: { $0.status == .pendingSCA }, within: 10)
                #expect(events.allSatisfy { $0.payment?.transactionId == id })
                seen.append(events.map(\.id))
                stream.close()
            }
            #expect(seen.count == 3 && Set(seen).count == 1 && seen.first?.isEmpty == false)
        }
    }

    /// A second screen of the shop opens while the hub is reading for the first: it gets every event
    /// after its own Last-Event-ID, also those the first screen had seen before it came.
    @Test func aStreamJoiningDuringAReadGetsTheEventsItMissed() async throws {
        let stored = (Int64(1)...5).map { seq in
            MerchantEventRecord(seq: seq, kind: .payment, transactionId: "payment-\(seq)", status: .pendingSCA, at: LiveServer.wednesdayNoon,
                                amountMinor: 12_000, currency: "NOK", reference: nil, payerMessage: nil, createdAt: LiveServer.wednesdayNoon)
        }
        let (reads, reading) = AsyncStream.makeStream(of: Int64.self)
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        // The read from 3 (the first screen's) waits until the second screen has joined.
        let hub = MerchantEventHub(pollInterval: .milliseconds(5), maxStreamsPerUser: 3) { _, after in
            reading.yield(after)
            if after == 3 { for await _ in release {} }
            return stored.filter { $0.seq > after }
        }
        let first = await hub.subscribe(userId: "mona", merchantId: "cafe", after: 3)
        var began = reads.makeAsyncIterator()
        #expect(await began.next() == 3)
        let second = await hub.subscribe(userId: "mona", merchantId: "cafe", after: 1)
        releasing.finish()
        #expect(await Self.sent(first.signals, after: 3, through: 5) == [4, 5])
        #expect(await Self.sent(second.signals, after: 1, through: 5) == [2, 3, 4, 5])
        await hub.unsubscribe(first.id)
        await hub.unsubscribe(second.id)
    }

    /// Mona opens her live stream, then Kari pays her 120 kr code for table 9 under `key` (not yet approved):
    /// the open stream, Kari's payment and Mona's merchant id.
    static func monaWatchesKariPayHerCode(_ server: LiveServer, key: String) async throws
        -> (stream: LiveServer.EventStream, payment: DropKit.Transaction, merchantId: String) {
        let mona = try await server.registeredMona()
        let kari = try await Self.payer(server)
        let stream = try await server.openEventStream(auth: mona.auth)
        #expect(stream.status == 200)
        let link = try await server.get("/v1/merchants/me/qr?amountMinor=12000&reference=Bord%209", headers: [mona.auth])
        let url = try link.decode(PaymentLinkInfo.self).url
        let created = try await Self.pay(server, kari.auth, key: key,
                                         try Self.body(paying: url, base: server.services.publicBaseURL.url, from: kari.accountId))
        #expect(created.status == 201)
        let merchantId = try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self).id
        return (stream, try created.decode(TransactionCreated.self).transaction, merchantId)
    }

    /// During a rolling deploy a newer build records an event of a kind this build doesn't know about Kari's
    /// payment to Mona. Mona's screen on an instance of this build goes on past it: read as an error, the event
    /// would be read again at every poll, and no later payment would reach her screen until the instance went.
    @Test func aStreamGoesOnPastAnEventOnlyANewerBuildKnows() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (stream, payment, merchantId) = try await Self.monaWatchesKariPayHerCode(server, key: "newer-event")
            let id = payment.id
            try await server.services.database.transaction { db in
                let seq = try #require(try await db.raw("UPDATE merchants SET event_seq = event_seq + 1 WHERE id = \(bind: merchantId) RETURNING event_seq")
                    .first()).decode(column: "event_seq", as: Int64.self)
                try await db.raw("""
                    INSERT INTO merchant_events (merchant_id, seq, transaction_id, status, kind, at)
                    VALUES (\(bind: merchantId), \(bind: seq), \(bind: id), 'pending_sca', 'from_a_newer_build', \(bind: server.clock.date))
                    """).run()
                try await MerchantRepository.recordEvent(merchantId: merchantId, transactionId: id, status: "cancelled",
                                                         at: server.clock.date, on: db)
            }
            let events = try await server.services.database.withConnection { try await MerchantRepository.events(merchantId: merchantId, after: 0, limit: 10, on: $0) }
            #expect(events.map(\.status.rawValue) == ["pending_sca", "cancelled"])
            let seen = try await stream.collect(until: { $0.status == .cancelled }, within: 10)
            #expect(seen.last?.status == .cancelled)
            stream.close()
        }
    }

    /// Kari pays Mona on Wednesday; her bank reports on Friday. The event says when the payment was made, so
    /// Mona's board counts it under Wednesday, as the dashboard does, not under Friday's total.
    @Test func anEventSaysWhenItsPaymentWasMade() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (stream, payment, merchantId) = try await Self.monaWatchesKariPayHerCode(server, key: "made-on-wednesday")
            let friday = server.clock.date.addingTimeInterval(2 * 86_400)
            try await server.services.database.transaction { db in
                try await MerchantRepository.recordEvent(merchantId: merchantId, transactionId: payment.id, status: "cancelled", at: friday, on: db)
            }
            let seen = try await stream.collect(until: { $0.status == .cancelled }, within: 10)
            let event = try #require(seen.last?.payment)
            #expect(event.at == Date(timeIntervalSince1970: friday.timeIntervalSince1970.rounded(.down)) && event.createdAt == payment.createdAt)
            #expect(seen.allSatisfy { $0.payment?.createdAt == payment.createdAt })
            stream.close()
        }
    }

    /// The numbers a stream would write from the hub's signals, as `MerchantEventStream` does (each
    /// event after the last it sent), until it has sent `end` or a second of polls went by.
    static func sent(_ signals: AsyncStream<MerchantEventHub.Signal>, after start: Int64, through end: Int64) async -> [Int64] {
        var (last, sent, ticks) = (start, [Int64](), 0)
        for await signal in signals {
            switch signal {
            case .events(let events):
                let fresh = events.filter { $0.seq > last }
                sent += fresh.map(\.seq)
                last = fresh.last?.seq ?? last
            case .tick: ticks += 1
            case .displaced: return sent
            }
            if last >= end || ticks > 200 { break }
        }
        return sent
    }
}
