/// The banks (ASPSPs) a user can link, by Drop's id for them. Each is reached at
/// `OPENBANKING_BASE_URL/{id}/v1/…`; in development that is the bank sandbox, which simulates
/// exactly these.
public struct BankDirectory: Sendable {
    public struct Bank: Codable, Sendable, Equatable {
        public let id: String
        public let name: String
        public let bic: String
        public let country: String
    }

    public static let norway = BankDirectory(banks: [
        Bank(id: "dnb", name: "DNB", bic: "DNBANOKK", country: "NO"),
        Bank(id: "sparebank1", name: "SpareBank 1", bic: "SPRONO22", country: "NO"),
        Bank(id: "nordea", name: "Nordea", bic: "NDEANOKK", country: "NO"),
    ])

    public let banks: [Bank]

    /// By id or BIC (8 or 11 characters), case-insensitively.
    public func find(_ idOrBIC: String) -> Bank? {
        let key = idOrBIC.trimmingCharacters(in: .whitespaces).uppercased()
        return banks.first { $0.id.uppercased() == key || $0.bic == key || $0.bic + "XXX" == key }
    }

    public func name(of id: String) -> String {
        banks.first { $0.id == id }?.name ?? id
    }
}
