import DropKit
import DropProviderFakes
import DropProviders
import Foundation
import Testing
@testable import DropAPI

/// The `fx.refresh` job and `/v1/exchange-rates` at the router, with the feed as `InMemoryRatesFeed`.
/// The same job against the FX sandbox's SDMX CSV over HTTP is `ExchangeRatesTests`.
@Suite("Exchange rates at the router, against the in-memory feed")
struct ExchangeRatesRouterTests {
    static func rates(_ app: RouterApp) async throws -> [String: ExchangeRate] {
        let items = try await app.get("/v1/exchange-rates").decode(DropKit.Page<ExchangeRate>.self).items
        return Dictionary(uniqueKeysWithValues: items.map { ($0.currency, $0) })
    }

    @Test func theFeedsRatesAreStoredAndAFeedThatIsDownKeepsTheLastOnes() async throws {
        let feed = InMemoryRatesFeed()
        // The Friday before the test clock's Monday, 21 Sep 2026.
        try await feed.publish("EUR", nokPerUnit: "11.7215", on: "2026-09-18")
        try await feed.publish("PLN", nokPerUnit: "2.7480", on: "2026-09-18")
        // A currency no corridor pays out in is published but not stored.
        try await feed.publish("ISK", nokPerUnit: "0.0790", on: "2026-09-18")
        try await RouterApp.test(providers: .init(ratesFeed: feed)) { app in
            let refresh = { try await app.services.exchangeRates.refresh(using: app.services.ratesFeed.wrapped) }
            #expect(try await refresh() == 2)
            var rates = try await Self.rates(app)
            #expect(Set(rates.keys) == ["EUR", "PLN"])
            // The API gives euros for one krone: 1 / 11.7215.
            #expect(rates["EUR"]?.rate.hasPrefix("0.085313") == true)
            #expect(rates["EUR"]?.source == "Norges Bank")

            // Down: the job fails as a provider failure, and what was stored stays as it was.
            await feed.setReachable(false)
            await #expect(throws: ProviderError.self) { try await refresh() }
            #expect(try await Self.rates(app)["PLN"]?.rate.hasPrefix("0.363901") == true)

            // Back with Monday's rate: it replaces Friday's.
            await feed.setReachable(true)
            try await feed.publish("EUR", nokPerUnit: "11.8000", on: "2026-09-21")
            #expect(try await refresh() == 2)
            rates = try await Self.rates(app)
            #expect(rates["EUR"]?.rate.hasPrefix("0.084745") == true)
            #expect(rates["EUR"]?.asOf == "2026-09-21")
            #expect(rates["EUR"]?.stale == false)
        }
    }
}
