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

    /// Fetches the newest rates and stores each one that is plausible (`RatePlausibility`); returns
    /// how many were stored. One dated after today or too far from the stored rate before it is
    /// refused and raised for operations (`rate_refused`): the previous rate is kept, and goes stale.
    @discardableResult
    func refresh(using client: any RatesFeed) async throws -> Int {
        let quotes = try await client.latestRates(for: Self.corridorCurrencies)
        let now = clock()
        let today = OsloCalendar.today(now)
        return try await database.transaction { db in
            var stored = 0
            for quote in quotes {
                let previous = try await ExchangeRateRepository.latest(base: quote.base, quote: quote.quote, notAfter: today.iso, on: db)
                if let problem = Self.implausibility(of: quote, previous: previous, today: today) {
                    try await OperationsAlertRepository.raise(
                        .rateRefused, entityType: "exchange_rate", entityId: quote.quote,
                        details: OperationsAlertDetails.RateRefused(problem: problem, asOf: quote.asOf, rate: quote.unitsPerNok.description,
                                                                    previousRate: previous?.rate, previousAsOf: previous?.asOf),
                        dedupeKey: "rate_refused:\(quote.quote):\(quote.asOf):\(quote.unitsPerNok)", at: now, on: db)
                    continue
                }
                try await ExchangeRateRepository.upsert(ExchangeRateRecord(
                    base: quote.base, quote: quote.quote, rate: quote.unitsPerNok.description,
                    asOf: quote.asOf, source: quote.source, fetchedAt: now), on: db)
                stored += 1
            }
            // Quotes to a corridor whose currency isn't published fail with 503 for as long as that lasts: said
            // once, and again after a person resolved it while it still isn't.
            let published = Set(quotes.map(\.quote))
            for currency in Self.corridorCurrencies where !published.contains(currency) {
                let countries = Corridors.all.filter { $0.currency.code == currency }.map(\.country.rawValue).sorted()
                try await OperationsAlertRepository.raise(
                    .rateMissing, entityType: "exchange_rate", entityId: currency, details: OperationsAlertDetails.RateMissing(countries: countries),
                    dedupeKey: "rate_missing:\(currency)", at: now, on: db)
            }
            return stored
        }
    }

    /// Why `quote` is not stored (the alert's `problem`), nil when it is plausible.
    static func implausibility(of quote: ExchangeRateQuote, previous: ExchangeRateRecord?, today: CalendarDate) -> String? {
        guard let asOf = try? CalendarDate(iso: quote.asOf) else { return "date_unreadable" }
        // A stored rate that no longer parses can't be compared with; pricing refuses it anyway.
        let previousRate = previous.flatMap { try? FixedPointRate(parsing: $0.rate) }
        switch RatePlausibility.check(rate: quote.unitsPerNok, asOf: asOf, previous: previousRate, today: today) {
        case .plausible: return nil
        case .futureDated: return "future_dated"
        case .movedTooFar: return "moved_too_far"
        }
    }

    /// The newest stored rate for every currency.
    public func latest() async throws -> [ExchangeRateView] {
        let today = OsloCalendar.today(clock())
        return try await database.withConnection { try await ExchangeRateRepository.latest(base: Self.base, notAfter: today.iso, on: $0) }
            .map { ExchangeRateView($0, today: today) }
    }

    /// The rate to price `currency` with at `now`, refused when there is none or it is stale.
    /// A row dated after today is never priced with, however it was stored.
    public func pricingRate(for currency: Currency, now: Date) async throws -> (rate: FixedPointRate, asOf: String) {
        let today = OsloCalendar.today(now).iso
        let stored = try await database.withConnection {
            try await ExchangeRateRepository.latest(base: Self.base, quote: currency.code, notAfter: today, on: $0)
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
