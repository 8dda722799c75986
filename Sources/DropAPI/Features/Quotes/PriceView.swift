import DropCore

/// `GET /v1/prices`: what a transfer costs and brings today, for anyone. A quote's numbers without
/// an id or an expiry: nothing is held, so the transfer itself needs a quote.
public struct PriceView: Encodable, Sendable {
    public let country: String
    public let send: Money
    public let fee: Money
    public let total: Money
    /// Units of the receive currency per 1 NOK.
    public let rate: String
    public let receive: Money
    /// The business day of the Norges Bank rate used.
    public let rateAsOf: String
    /// How long the corridor's payouts usually take, e.g. "1–3 business days".
    public let estimatedDelivery: String

    init(_ quote: Quote) {
        country = quote.corridor.country.rawValue
        send = quote.send
        fee = quote.fee
        total = quote.total
        rate = quote.rate.description
        receive = quote.receive
        rateAsOf = quote.rateAsOf
        estimatedDelivery = quote.corridor.estimatedDelivery
    }
}
