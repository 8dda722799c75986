import DropCore
import DropStore

/// One rate as the API shows it: `rate` units of `currency` for 1 NOK, as a decimal string.
public struct ExchangeRateView: Encodable, Sendable {
    public let currency: String
    public let rate: String
    public let asOf: String
    public let source: String
    /// True when the rate is too old to price a transfer with (see `RateFreshness`).
    public let stale: Bool

    init(_ record: ExchangeRateRecord, today: CalendarDate) {
        currency = record.quote
        rate = record.rate
        asOf = record.asOf
        source = record.source
        stale = (try? CalendarDate(iso: record.asOf)).map { !RateFreshness.isFresh(asOf: $0, today: today) } ?? true
    }
}
