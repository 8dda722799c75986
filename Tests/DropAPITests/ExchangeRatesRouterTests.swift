import DropKit
import DropProviderFakes
import DropProviders
import DropStore
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

    /// A corridor whose currency the feed doesn't publish (Norges Bank lists no naira, shilling, birr…) can't be
    /// priced: every quote to it answers 503. Operations hear of it once per currency, and again after resolving
    /// it while the feed still doesn't publish it.
    @Test func aCorridorCurrencyTheFeedDoesNotPublishIsRaisedForOperations() async throws {
        let feed = InMemoryRatesFeed()
        try await feed.publish("EUR", nokPerUnit: "11.7215", on: "2026-09-18")
        try await RouterApp.test(providers: .init(ratesFeed: feed)) { app in
            let refresh = { try await app.services.exchangeRates.refresh(using: app.services.ratesFeed.wrapped) }
            let missing = {
                try await app.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }.filter { $0.kind == .rateMissing }
            }
            #expect(try await refresh() == 1)
            #expect(try await refresh() == 1)
            let raised = try await missing()
            #expect(Set(raised.compactMap(\.entityId)) == Set(ExchangeRateService.corridorCurrencies).subtracting(["EUR"]))
            let naira = try #require(raised.first { $0.entityId == "NGN" })
            #expect(naira.details.contains(#""countries":["NG"]"#), "\(naira.details)")

            // Resolved while still unpublished: back at the next refresh. Once published, it stays resolved.
            let now = app.services.clock()
            #expect(try await app.services.database.withConnection {
                try await OperationsAlertRepository.resolve(id: naira.id, by: "ops", resolution: "Asked Norges Bank.", at: now, on: $0)
            })
            #expect(try await refresh() == 1)
            let again = try #require(try await missing().first { $0.entityId == "NGN" })
            #expect(again.id != naira.id)
            try await feed.publish("NGN", nokPerUnit: "0.0066", on: "2026-09-18")
            #expect(try await app.services.database.withConnection {
                try await OperationsAlertRepository.resolve(id: again.id, by: "ops", resolution: "Published now.", at: now, on: $0)
            })
            #expect(try await refresh() == 2)
            #expect(try await missing().first { $0.entityId == "NGN" } == nil)
        }
    }

    /// A rate dated after today would stay the newest (and fresh) for good, and one 100 times off
    /// would price every transfer with it: both are refused and raised for operations, and the
    /// rate before is kept. A row dated later that is in the table anyway is never priced with.
    @Test func aFutureDatedOrImplausibleRateIsRefusedAndTheOneBeforeKept() async throws {
        let feed = InMemoryRatesFeed()
        try await feed.publish("EUR", nokPerUnit: "11.7215", on: "2026-09-18")
        try await RouterApp.test(providers: .init(ratesFeed: feed)) { app in
            let refresh = { try await app.services.exchangeRates.refresh(using: app.services.ratesFeed.wrapped) }
            let auth = try await app.bearer(BankLinkRouterTests.kari)
            let quote = {
                try await app.post("/v1/quotes", #"{"country":"DE","currency":"EUR","sendAmountMinor":250000}"#, auth).decode(DropKit.Quote.self)
            }
            let alerts = {
                try await app.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }.filter { $0.kind == .rateRefused }
            }
            #expect(try await refresh() == 1)  // the currency's first rate

            // Dated 2099 (its value plausible): refused, raised, and Monday's rate prices once published.
            try await feed.publish("EUR", nokPerUnit: "11.7500", on: "2099-01-01")
            #expect(try await refresh() == 0)
            try await feed.publish("EUR", nokPerUnit: "11.8000", on: "2026-09-21")
            #expect(try await refresh() == 1)
            #expect(try await quote().rateAsOf == "2026-09-21")
            #expect(try await Self.rates(app)["EUR"]?.asOf == "2026-09-21")
            var raised = try await alerts()
            #expect(raised.count == 1 && raised.first?.entityId == "EUR")
            #expect(raised.first?.details.contains(#""problem":"future_dated""#) == true && raised.first?.details.contains("2099-01-01") == true)

            // A hundred times the krone's price of a euro, as a correction of Monday's: refused, Monday's kept.
            let before = try await quote()
            try await feed.publish("EUR", nokPerUnit: "1180", on: "2026-09-21")
            #expect(try await refresh() == 0)
            #expect(try await refresh() == 0)
            let after = try await quote()
            #expect(after.rate == before.rate && after.receive == before.receive)
            raised = try await alerts()
            #expect(raised.count == 2)  // once, however often the feed repeats it
            let tooFar = try #require(raised.first { $0.details.contains(#""problem":"moved_too_far""#) })
            #expect(tooFar.details.contains(#""previousAsOf":"2026-09-21""#) && tooFar.entityId == "EUR")

            // Stored before the check existed: passed over by pricing and by the list.
            try await app.services.database.withConnection { db in
                try await ExchangeRateRepository.upsert(ExchangeRateRecord(base: "NOK", quote: "EUR", rate: "0.5", asOf: "2099-01-01", source: "Norges Bank",
                                                                           fetchedAt: app.services.clock()), on: db)
            }
            #expect(try await quote().rate == before.rate)
            #expect(try await Self.rates(app)["EUR"]?.asOf == "2026-09-21")
        }
    }
}
