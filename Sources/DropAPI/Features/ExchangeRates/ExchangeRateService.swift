import DropCore
import DropProviders
import DropStore
import Foundation

/// Norges Bank reference rates: fetched by the `fx.refresh` job, stored in `exchange_rates`,
/// read by the rates endpoint and by quotes. Rates are NOK-based: units of a currency per 1 NOK.
public struct ExchangeRateService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    /// Drop prices everything from Norwegian kroner.
    public static let base = "NOK"

    /// The currencies Drop pays out in: the ones worth fetching.
    static let corridorCurrencies: [String] = Array(Set(Corridors.all.map(\.currency.code))).sorted()

    /// Fetches the newest rates and stores them; returns how many were stored.
    @discardableResult
    func refresh(using client: any RatesFeed) async throws -> Int {
        let quotes = try await client.latestRates(for: Self.corridorCurrencies)
        let now = clock()
        try await database.transaction { db in
            for quote in quotes {
                try await ExchangeRateRepository.upsert(ExchangeRateRecord(
                    base: quote.base, quote: quote.quote, rate: quote.unitsPerNok.description,
                    asOf: quote.asOf, source: quote.source, fetchedAt: now), on: db)
            }
        }
        return quotes.count
    }

    /// The newest stored rate for every currency.
    public func latest() async throws -> [ExchangeRateView] {
        let today = OsloCalendar.today(clock())
        return try await database.withConnection { try await ExchangeRateRepository.latest(base: Self.base, on: $0) }
            .map { ExchangeRateView($0, today: today) }
    }

    /// The rate to price `currency` with at `now`, refused when there is none or it is stale.
    public func pricingRate(for currency: Currency, now: Date) async throws -> (rate: FixedPointRate, asOf: String) {
        let stored = try await database.withConnection {
            try await ExchangeRateRepository.latest(base: Self.base, quote: currency.code, on: $0)
        }
        guard let stored, let rate = try? FixedPointRate(parsing: stored.rate), let asOf = try? CalendarDate(iso: stored.asOf) else {
            throw AppError.rateUnavailable("There is no exchange rate for \(currency.code) right now. Try again later.")
        }
        guard RateFreshness.isFresh(asOf: asOf, today: OsloCalendar.today(now)) else {
            throw AppError.rateUnavailable("The latest \(currency.code) rate is from \(stored.asOf), which is too old to price with. Try again later.")
        }
        return (rate, stored.asOf)
    }
}
