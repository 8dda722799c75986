/// `POST /v1/quotes`: a corridor and exactly one of the two amounts. Codes are kept as text so
/// a bad one is reported against its field instead of failing the whole body.
public struct QuoteInput: Decodable, Sendable {
    public var country: String
    public var currency: String
    /// NOK øre to send (the fee comes on top).
    public var sendAmountMinor: Int64?
    /// Minor units of the corridor's currency the recipient should get.
    public var receiveAmountMinor: Int64?

    public init(country: String, currency: String, sendAmountMinor: Int64? = nil, receiveAmountMinor: Int64? = nil) {
        self.country = country
        self.currency = currency
        self.sendAmountMinor = sendAmountMinor
        self.receiveAmountMinor = receiveAmountMinor
    }
}
