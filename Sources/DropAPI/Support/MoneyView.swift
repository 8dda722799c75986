import DropCore

/// Money on the wire: `{"amountMinor": 12345, "currency": "NOK"}` (API.md conventions).
public struct MoneyView: Codable, Sendable, Equatable {
    public var amountMinor: Int64
    public var currency: String

    public init(_ money: Money) {
        amountMinor = money.minorUnits
        currency = money.currency.code
    }

    public init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }
}
