import DropCore

/// Where Drop's reference exchange rates come from: each currency's newest published rate
/// against NOK, which Drop stores and prices from (`fx.refresh`).
///
/// `NorgesBankRatesClient` is the live one (Norges Bank's SDMX API, the FX sandbox in development);
/// `InMemoryRatesFeed` (`Tests/DropProviderFakes`) publishes whatever a test sets.
public protocol RatesFeed: Sendable {
    /// The newest rate for each of `currencies`, in the order asked; ones the feed does not publish are left out.
    func latestRates(for currencies: [String]) async throws -> [ExchangeRateQuote]
    /// The newest rate for every currency the feed publishes, sorted by code.
    func allLatestRates() async throws -> [ExchangeRateQuote]
}

extension NorgesBankRatesClient: RatesFeed {}
