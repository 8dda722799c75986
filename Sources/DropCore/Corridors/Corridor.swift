/// One destination Drop pays out to: a country, the currency the recipient receives, and how.
///
/// Amount limits are in NOK, the currency the user sends.
public struct Corridor: Sendable, Hashable, Codable {
    public let country: CountryCode
    public let currency: Currency
    public let rail: Rail
    public let accountFormat: AccountFormat
    /// Recipient fields that must be present, in API names (`"address.city"` for nested ones).
    public let requiredFields: [String]
    /// Smallest amount sent per transfer (NOK).
    public let minAmount: Money
    /// Largest amount sent per transfer (NOK).
    public let maxAmount: Money
    /// What the user is told about arrival time; deliberately conservative.
    public let estimatedDelivery: String

    public init(
        country: CountryCode, currency: Currency, rail: Rail, accountFormat: AccountFormat,
        requiredFields: [String], minAmount: Money, maxAmount: Money, estimatedDelivery: String
    ) {
        self.country = country
        self.currency = currency
        self.rail = rail
        self.accountFormat = accountFormat
        self.requiredFields = requiredFields
        self.minAmount = minAmount
        self.maxAmount = maxAmount
        self.estimatedDelivery = estimatedDelivery
    }
}
