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

    /// The details as Drop stores them once valid: surrounding spaces trimmed, blanks dropped,
    /// IBAN in its electronic form and BIC/IFSC in capitals, so lookups and payment files agree.
    public func normalized() -> RecipientDetails {
        func clean(_ text: String?) -> String? {
            guard let trimmed = text.map(Self.trimmed), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        func code(_ text: String?) -> String? {
            clean(text).map { String($0.filter { !$0.isWhitespace }).uppercased() }
        }
        var copy = self
        copy.name = clean(name) ?? ""
        copy.iban = clean(iban).map { (try? IBAN($0))?.electronic ?? $0 }
        copy.accountNumber = clean(accountNumber)
        copy.bic = code(bic)
        copy.ifsc = code(ifsc)
        copy.routingNumber = code(routingNumber)
        copy.bankName = clean(bankName)
        copy.relationship = clean(relationship)
        if let address {
            let tidy = Address(street: clean(address.street), postCode: clean(address.postCode),
                               city: clean(address.city), country: address.country)
            copy.address = tidy == Address() ? nil : tidy
        }
        return copy
    }

    /// `text` without leading and trailing whitespace.
    static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Every field name `value(of:)` knows.
    public static let knownFields: Set<String> = [
        "name", "iban", "accountNumber", "bic", "ifsc", "routingNumber", "bankName",
        "address.street", "address.postCode", "address.city", "address.country", "relationship",
    ]
}
