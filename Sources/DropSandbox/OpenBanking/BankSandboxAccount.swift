/// A NOK account a sandbox person holds at one of the sandbox banks.
struct BankSandboxAccount: Sendable, Hashable, Codable {
    /// The opaque id the API exposes (`resourceId`).
    let resourceId: String
    let bankId: String
    let ownerNationalId: String
    /// The 11-digit Norwegian account number (BBAN).
    let accountNumber: String
    let iban: String
    let name: String
    let product: String
    let currency: String
    var balanceMinorUnits: Int64
}
