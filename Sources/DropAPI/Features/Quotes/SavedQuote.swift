import DropCore
import DropStore
import Foundation

/// A stored quote with its domain values back: what a transfer is created from.
public struct SavedQuote: Sendable, Equatable {
    public let id: String
    public let userId: String
    public let quote: Quote
    public let usedAt: Date?

    public var expiresAt: Date { Date(timeIntervalSince1970: TimeInterval(quote.expiresAt)) }

    public enum Status: String, Sendable { case open, expired, used }

    public func status(at now: Date) -> Status {
        if usedAt != nil { return .used }
        return quote.isValid(at: Int64(now.timeIntervalSince1970.rounded(.down))) ? .open : .expired
    }

    init(_ record: QuoteRecord) throws {
        // Rows are written only from valid quotes, so a row that does not read back is corruption.
        guard let country = CountryCode(rawValue: record.country),
              let currency = Currency(rawValue: record.receiveCurrency),
              let corridor = Corridors.find(country: country, currency: currency),
              record.sendCurrency == Currency.nok.code,
              let rate = try? FixedPointRate(parsing: record.rate) else {
            throw StoredQuoteError(id: record.id)
        }
        id = record.id
        userId = record.userId
        usedAt = record.usedAt
        quote = Quote(
            corridor: corridor, send: Money(minorUnits: record.sendMinor, currency: .nok),
            fee: Money(minorUnits: record.feeMinor, currency: .nok), total: Money(minorUnits: record.totalMinor, currency: .nok),
            rate: rate, receive: Money(minorUnits: record.receiveMinor, currency: currency),
            createdAt: Int64(record.createdAt.timeIntervalSince1970.rounded(.down)),
            expiresAt: Int64(record.expiresAt.timeIntervalSince1970.rounded(.down)), rateAsOf: record.rateAsOf)
    }
}

/// A quote row that no longer matches Drop's corridors or rate format.
struct StoredQuoteError: Error {
    let id: String
}
