import DropCore

/// One corridor as the API shows it; amounts are NOK minor units.
struct CorridorView: Encodable, Sendable {
    let country: String
    let currency: String
    let rail: String
    let accountFormat: String
    let requiredFields: [String]
    let minAmountMinor: Int64
    let maxAmountMinor: Int64
    let estimatedDelivery: String

    init(_ corridor: Corridor) {
        country = corridor.country.rawValue
        currency = corridor.currency.code
        rail = corridor.rail.rawValue
        accountFormat = corridor.accountFormat.rawValue
        requiredFields = corridor.requiredFields
        minAmountMinor = corridor.minAmount.minorUnits
        maxAmountMinor = corridor.maxAmount.minorUnits
        estimatedDelivery = corridor.estimatedDelivery
    }

    /// The corridor's place in the list, used as the page cursor.
    var key: String { "\(country)-\(currency)" }
}
