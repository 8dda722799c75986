import AsyncHTTPClient
import DropCore
import Logging

/// Fetches reference rates from Norges Bank's SDMX API (or the FX sandbox, which speaks the same).
///
/// Asks `{baseURL}/api/data/EXR/B.{CUR+CUR}.NOK.SP?format=csv&lastNObservations=1` through the
/// resilient client (a GET, so retried), reads the CSV and turns each currency's newest
/// business-day value into an `ExchangeRateQuote`. Base URL: `https://data.norges-bank.no` in
/// production, e.g. `http://127.0.0.1:8080/sandbox/fx` in development.
public struct NorgesBankRatesClient: Sendable {
    public static let providerName = "norges-bank"
    public static let source = "Norges Bank"

    private let baseURL: String
    private let http: ResilientHTTPClient
    private let parser = NorgesBankCSVParser()
    private let logger: Logger

    public init(baseURL: String, http: ResilientHTTPClient, logger: Logger = Logger(label: "drop.providers.fx")) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.http = http
        self.logger = logger
    }

    /// The newest published rate for each of `currencies` (ISO codes, e.g. ["EUR", "SEK"]), in
    /// the order asked. Currencies the feed does not publish are left out (and logged); if it
    /// publishes none of them the feed answers 404, surfaced as `ProviderError.http(status: 404)`.
    ///
    /// - Throws: `ProviderError` (`.invalidRequest` for a malformed code, `.decoding` for an
    ///   unreadable answer), or `CancellationError`.
    public func latestRates(for currencies: [String]) async throws -> [ExchangeRateQuote] {
        var wanted: [String] = []
        for code in currencies where !wanted.contains(code) {
            guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
                throw ProviderError.invalidRequest(provider: Self.providerName, reason: "not a currency code: '\(code.prefix(10))'")
            }
            wanted.append(code)
        }
        guard !wanted.isEmpty else { return [] }
        let quotes = try await fetchLatest(key: wanted.joined(separator: "+"))
        let byCurrency = Dictionary(quotes.map { ($0.quote, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = wanted.filter { byCurrency[$0] == nil }
        if !missing.isEmpty {
            logger.warning("fx feed has no rate for some currencies", metadata: ["currencies": "\(missing.joined(separator: ","))"])
        }
        return wanted.compactMap { byCurrency[$0] }
    }

    /// The newest published rate for every currency in the feed, sorted by code.
    public func allLatestRates() async throws -> [ExchangeRateQuote] {
        try await fetchLatest(key: "").sorted { $0.quote < $1.quote }
    }

    private func fetchLatest(key baseCurrencies: String) async throws -> [ExchangeRateQuote] {
        let request = HTTPClientRequest(
            url: "\(baseURL)/api/data/EXR/B.\(baseCurrencies).NOK.SP?format=csv&lastNObservations=1&locale=en"
        )
        let response = try await http.execute(request)
        return try quotes(fromCSV: response.text)
    }

    /// Newest business-day observation per currency, as quotes. Internal for tests.
    func quotes(fromCSV text: String) throws(ProviderError) -> [ExchangeRateQuote] {
        let observations: [NorgesBankObservation]
        do {
            observations = try parser.parse(text)
        } catch {
            throw .decoding(provider: Self.providerName, reason: error.description)
        }
        var newest: [String: NorgesBankObservation] = [:]
        for observation in observations
        where observation.quoteCurrency == "NOK" && (observation.frequency ?? "B") == "B" {
            guard observation.timePeriod.count == 10 else {
                throw .decoding(provider: Self.providerName, reason: "business-day period '\(observation.timePeriod)' is not YYYY-MM-DD")
            }
            if let known = newest[observation.baseCurrency], known.timePeriod >= observation.timePeriod { continue }
            newest[observation.baseCurrency] = observation
        }
        guard !newest.isEmpty else {
            throw .decoding(provider: Self.providerName, reason: "no business-day NOK observations in the answer")
        }
        var quotes: [ExchangeRateQuote] = []
        for observation in newest.values {
            do {
                quotes.append(try ExchangeRateQuote(
                    quote: observation.baseCurrency, nokPerUnit: observation.nokPerUnit,
                    asOf: observation.timePeriod, source: Self.source
                ))
            } catch {
                throw .decoding(provider: Self.providerName, reason: "rate for \(observation.baseCurrency): \(error)")
            }
        }
        return quotes.sorted { $0.quote < $1.quote }
    }
}
