import DropCore
import DropProviders

/// A `RatesFeed` fake for tests at the router: it publishes what the test sets, one business day at
/// a time, and like Norges Bank's feed leaves out a currency it does not publish, refuses a code
/// that isn't one, and can be unreachable.
public actor InMemoryRatesFeed: RatesFeed {
    private var published: [String: ExchangeRateQuote] = [:]
    private var reachable = true

    public init() {}

    /// Publishes `nokPerUnit` NOK for one `currency` on `day` (replacing the currency's earlier rate).
    public func publish(_ currency: String, nokPerUnit: String, on day: String) throws {
        published[currency] = try ExchangeRateQuote(quote: currency, nokPerUnit: FixedPointRate(parsing: nokPerUnit), asOf: day,
                                                    source: NorgesBankRatesClient.source)
    }

    public func setReachable(_ value: Bool) { reachable = value }

    public func latestRates(for currencies: [String]) async throws -> [ExchangeRateQuote] {
        try reach()
        for code in currencies where Currency(rawValue: code) == nil {
            throw ProviderError.invalidRequest(provider: NorgesBankRatesClient.providerName, reason: "not a currency code")
        }
        var seen: Set<String> = []
        return currencies.filter { seen.insert($0).inserted }.compactMap { published[$0] }
    }

    public func allLatestRates() async throws -> [ExchangeRateQuote] {
        try reach()
        return published.values.sorted { $0.quote < $1.quote }
    }

    private func reach() throws {
        guard reachable else { throw ProviderError.unavailable(provider: NorgesBankRatesClient.providerName, retryAfter: nil) }
    }
}
