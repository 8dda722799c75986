import DropCore
import Foundation

/// A quote as the API shows it. `rate` is units of the receive currency per 1 NOK.
public struct QuoteView: Encodable, Sendable {
    public let id: String
    public let country: String
    public let send: Money
    public let fee: Money
    public let total: Money
    public let rate: String
    public let receive: Money
    /// The business day of the Norges Bank rate used.
    public let rateAsOf: String
    public let createdAt: Date
    public let expiresAt: Date
    /// `open` (may be used for a transfer), `expired` or `used`.
    public let status: String

    init(_ saved: SavedQuote, now: Date) {
        id = saved.id
        country = saved.quote.corridor.country.rawValue
        send = saved.quote.send
        fee = saved.quote.fee
        total = saved.quote.total
        rate = saved.quote.rate.description
        receive = saved.quote.receive
        rateAsOf = saved.quote.rateAsOf
        createdAt = Date(timeIntervalSince1970: TimeInterval(saved.quote.createdAt))
        expiresAt = saved.expiresAt
        status = saved.status(at: now).rawValue
    }
}
