import DropKit
import Foundation
import Testing

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
}
