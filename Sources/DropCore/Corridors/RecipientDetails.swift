/// What a user tells us about a recipient, as typed, before validation.
///
/// Which fields must be filled depends on the corridor (`Corridor.requiredFields`); field names
/// in validation issues are the API's (`"address.city"`).
public struct RecipientDetails: Sendable, Hashable, Codable {
    public var name: String
    public var country: CountryCode
    public var currency: Currency
    public var iban: String?
    public var accountNumber: String?
    public var bic: String?
    /// India: the branch's Indian Financial System Code.
    public var ifsc: String?
    /// United States: the ABA routing transit number.
    public var routingNumber: String?
    public var bankName: String?
    public var address: Address?
    /// One of `Relationship.allCases` raw values; kept as text so a bad value is reported, not lost.
    public var relationship: String?

    public struct Address: Sendable, Hashable, Codable {
        public var street: String?
        public var postCode: String?
        public var city: String?
        public var country: CountryCode?

        public init(street: String? = nil, postCode: String? = nil, city: String? = nil, country: CountryCode? = nil) {
            self.street = street
            self.postCode = postCode
            self.city = city
            self.country = country
        }
    }

    public init(
        name: String, country: CountryCode, currency: Currency, iban: String? = nil, accountNumber: String? = nil,
        bic: String? = nil, ifsc: String? = nil, routingNumber: String? = nil, bankName: String? = nil,
        address: Address? = nil, relationship: String? = nil
    ) {
        self.name = name
        self.country = country
        self.currency = currency
        self.iban = iban
        self.accountNumber = accountNumber
        self.bic = bic
        self.ifsc = ifsc
        self.routingNumber = routingNumber
        self.bankName = bankName
        self.address = address
        self.relationship = relationship
    }

    /// The value of a field by its API name, nil when absent or blank.
    public func value(of field: String) -> String? {
        let raw: String?
        switch field {
        case "name": raw = name
        case "iban": raw = iban
        case "accountNumber": raw = accountNumber
        case "bic": raw = bic
        case "ifsc": raw = ifsc
        case "routingNumber": raw = routingNumber
        case "bankName": raw = bankName
        case "address.street": raw = address?.street
        case "address.postCode": raw = address?.postCode
        case "address.city": raw = address?.city
        case "address.country": raw = address?.country?.rawValue
        case "relationship": raw = relationship
        default: raw = nil
        }
        guard let raw, raw.contains(where: { !$0.isWhitespace }) else { return nil }
        return raw
    }

    /// Every field name `value(of:)` knows.
    public static let knownFields: Set<String> = [
        "name", "iban", "accountNumber", "bic", "ifsc", "routingNumber", "bankName",
        "address.street", "address.postCode", "address.city", "address.country", "relationship",
    ]
}
