/// One of the simulated Norwegian banks (ASPSPs), each routed at `/sandbox/bank/{id}/v1/...`.
public struct BankSandboxBank: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let bic: String
    /// The 4-digit registration number its account numbers start with.
    let registrationNumber: String

    public static let dnb = BankSandboxBank(id: "dnb", name: "DNB", bic: "DNBANOKK", registrationNumber: "1207")
    public static let sparebank1 = BankSandboxBank(id: "sparebank1", name: "SpareBank 1", bic: "SPRONO22", registrationNumber: "4212")
    public static let nordea = BankSandboxBank(id: "nordea", name: "Nordea", bic: "NDEANOKK", registrationNumber: "6011")

    public static let all: [BankSandboxBank] = [.dnb, .sparebank1, .nordea]

    public static func find(id: String) -> BankSandboxBank? {
        all.first { $0.id == id }
    }
}
