import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Exchange rates over HTTP")
struct ExchangeRatesTests {
    /// A page of rates as the app reads it.
    typealias Rates = DropKit.Page<DropKit.ExchangeRate>

    @Test func theRefreshJobStoresNorgesBankRatesAsUnitsPerNOK() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let before = try await server.get("/v1/exchange-rates?base=NOK")
            #expect(before.status == 200)
            #expect(try before.decode(Rates.self).items.isEmpty)

            // A worker's first pass runs the current hourly slot: rates right after start.
            try await server.refreshExchangeRates()
            let reply = try await server.get("/v1/exchange-rates?base=NOK")
            #expect(reply.status == 200)
            #expect(try reply.fieldNames().contains("nextCursor"))
            let items = try reply.decode(Rates.self).items
            // Every currency a corridor pays out in, once, sorted.
            let currencies = items.map(\.currency)
            #expect(currencies == Array(Set(Corridors.all.map(\.currency.code))).sorted())
            for item in items {
                #expect(item.asOf == "2026-10-13")  // Tuesday: Wednesday's is not out before 16:00
                #expect(item.source == "Norges Bank" && !item.stale)
                #expect((try? FixedPointRate(parsing: item.rate)) != nil, "rate is a plain decimal string")
            }

            // The stored rate is 1 / (NOK per unit) of what the feed publishes, per 100 where it quotes per 100.
            for currency in ["PLN", "SEK", "EUR"] {
                let csv = try await server.get("/sandbox/fx/api/data/EXR/B.\(currency).NOK.SP?format=csv&lastNObservations=1&locale=en")
                let published = try #require(try NorgesBankCSVParser().parse(csv.body).last)
                let shown = items.first { $0.currency == currency }?.rate
                #expect(shown == (try published.nokPerUnit.inverse()).description)
                #expect(try await server.storedRate(currency) == shown)
            }
            #expect(try await server.storedRate("SEK").map { try FixedPointRate(parsing: $0) > FixedPointRate(parsing: "0.5") } == true,
                    "the feed quotes NOK per 100 SEK; one NOK buys about one krona, not a hundredth of one")

            // Refreshing again in the same day updates in place: one row per currency and day.
            server.clock.advance(3600)
            try await server.refreshExchangeRates()
            let rows = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM exchange_rates").first()!.decode(column: "n", as: Int.self)
            }
            #expect(rows == currencies.count)
        }
    }

    @Test func onlyNOKIsABaseAndPagesFollowTheCursor() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let euro = try await server.get("/v1/exchange-rates?base=EUR")
            #expect(euro.status == 422)
            #expect(euro.errorCode == "VALIDATION_FAILED" && euro.issue("base") == "unsupported")

            let first = try await server.get("/v1/exchange-rates?limit=5").decode(Rates.self)
            #expect(first.items.count == 5)
            let cursor = try #require(first.nextCursor)
            #expect(cursor == first.items.last?.currency)
            let second = try await server.get("/v1/exchange-rates?limit=5&cursor=\(cursor)").decode(Rates.self)
            let secondCurrencies = second.items.map(\.currency)
            #expect(secondCurrencies.count == 5 && secondCurrencies.allSatisfy { $0 > cursor })
        }
    }

    @Test func aFailingFeedKeepsTheRatesWeHave() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let before = try await server.storedRate("PLN")
            server.sandboxes.faults.fx.fault = .unavailable
            server.clock.advance(3600)  // the next hourly slot
            try await server.refreshExchangeRates()
            server.sandboxes.faults.fx.fault = nil
            #expect(try await server.storedRate("PLN") == before)
            let failed = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'fx.refresh' AND status = 'failed'").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(failed == 1)
        }
    }
}
