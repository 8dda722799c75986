import DropStore

/// A recipient as a client sends it (`POST /v1/recipients`), every field as text so each bad
/// value is reported against its own field. Which fields are required depends on the corridor.
public struct RecipientInput: Codable, Sendable, Equatable {
    public var name: String?
    public var country: String?
    public var currency: String?
    public var iban: String?
    public var accountNumber: String?
    public var bic: String?
    public var ifsc: String?
    public var routingNumber: String?
    public var bankName: String?
    public var address: Address?
    public var relationship: String?

    public struct Address: Codable, Sendable, Equatable {
        public var street: String?
        public var postCode: String?
        public var city: String?
        public var country: String?

        public init(street: String? = nil, postCode: String? = nil, city: String? = nil, country: String? = nil) {
            self.street = street
            self.postCode = postCode
            self.city = city
            self.country = country
        }
    }

    public init(name: String? = nil, country: String? = nil, currency: String? = nil, iban: String? = nil,
                accountNumber: String? = nil, bic: String? = nil, ifsc: String? = nil, routingNumber: String? = nil,
                bankName: String? = nil, address: Address? = nil, relationship: String? = nil) {
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

    /// A stored recipient as input again, the starting point of a PATCH.
    init(_ record: RecipientRecord) {
        self.init(name: record.name, country: record.country, currency: record.currency, iban: record.iban,
                  accountNumber: record.accountNumber, bic: record.bic, ifsc: record.ifsc, routingNumber: record.routingNumber,
                  bankName: record.bankName, relationship: record.relationship)
        let address = Address(street: record.addressStreet, postCode: record.addressPostCode, city: record.addressCity,
                              country: record.addressCountry)
        self.address = address == Address() ? nil : address
    }
}
