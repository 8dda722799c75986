import DropKit
import DropStore
import Foundation
import NIOHTTP1
import SQLKit
import Testing
@testable import DropAPI

/// RFC 7239 `Forwarded` over HTTP: honoured from our own proxies for rate limits and the
/// `PSU-IP-Address` banks are told, ignored when anyone else sends it.
@Suite("Forwarded header")
struct ForwardedTests {
    @Test func aTrustedProxysForwardedCountsForRateLimits() async throws {
        try await LiveServer.run(rateLimited: true, environment: ["TRUST_FORWARDED_FOR": "true"], extraFeatures: [ProbeFeature()]) { server in
            // The test connects from 127.0.0.1, a trusted proxy by default; the left element is the client's own claim.
            let ip = try await server.get("/v1/test/client-ip", headers: [("forwarded", #"for=1.1.1.1, for="[2001:db8::9]:4711";proto=https"#)])
            #expect(try ip.decode(ProbeFeature.ClientIP.self).ip == "2001:db8::9")
            // Both headers: Forwarded is the one read.
            let both = try await server.get("/v1/test/client-ip", headers: [("forwarded", "for=203.0.113.9"), ("x-forwarded-for", "198.51.100.1")])
            #expect(try both.decode(ProbeFeature.ClientIP.self).ip == "203.0.113.9")
            // A hidden or unknown hop leaves the proxy's own address, never a value the client wrote.
            let hidden = try await server.get("/v1/test/client-ip", headers: [("forwarded", "for=203.0.113.9, for=_hidden")])
            #expect(try hidden.decode(ProbeFeature.ClientIP.self).ip == "127.0.0.1")
            let broken = try await server.get("/v1/test/client-ip", headers: [("forwarded", #"for="203.0.113.9"#)])
            #expect(try broken.decode(ProbeFeature.ClientIP.self).ip == "127.0.0.1")

            for _ in 1...10 {
                #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: [("forwarded", "for=203.0.113.9")]).status == 302)
            }
            #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: [("forwarded", "for=203.0.113.9")]).status == 429)
            // Another client behind the same proxy has its own budget.
            #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: [("forwarded", "for=198.51.100.20")]).status == 302)
        }
    }

    @Test func aForgedForwardedFromAnUntrustedPeerIsIgnored() async throws {
        // 127.0.0.1 is not among the proxies now: whatever it sends is its own claim.
        try await LiveServer.run(rateLimited: true, environment: ["TRUST_FORWARDED_FOR": "true", "TRUSTED_PROXIES": "10.0.0.0/8"],
                                 extraFeatures: [ProbeFeature()]) { server in
            let ip = try await server.get("/v1/test/client-ip", headers: [("forwarded", "for=203.0.113.9")])
            #expect(try ip.decode(ProbeFeature.ClientIP.self).ip == "127.0.0.1")
            for attempt in 1...11 {
                let forged = [("forwarded", "for=198.51.100.\(attempt)")]
                #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: forged).status == (attempt <= 10 ? 302 : 429))
            }
        }
    }

    @Test func theBankIsToldTheAddressOurProxyForwarded() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: ["TRUST_FORWARDED_FOR": "true"]) { server in
            let kari = try await TransfersTests.sender(server)
            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
            let quoteId = try quote.decode(DropKit.Quote.self).id
            let body = #"{"recipientId":"\#(kari.recipientId)","quoteId":"\#(quoteId)","bankAccountId":"\#(kari.accountId)"}"#
            let created = try await server.request(.POST, "/v1/transactions/remittance", headers: [
                kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "k-fwd"),
                ("forwarded", #"for=192.0.2.66"#), ("forwarded", #"for="[2001:db8::7]:443";proto=https"#),
                ("x-forwarded-for", "198.51.100.1"),
            ], body: body)
            #expect(created.status == 201)
            let stored = try await server.services.database.withConnection {
                try await $0.raw("SELECT psu_ip_address FROM transactions").first()!.decode(column: "psu_ip_address", as: String.self)
            }
            #expect(stored == "2001:db8::7")
        }
    }
}
