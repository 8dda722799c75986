/// A made-up person the sandboxes know: BankID signs them in, the bank sandbox gives them
/// accounts, the Sumsub sandbox reviews them with a fixed outcome (docs/api.md, "Sandbox persons").
public struct SandboxPerson: Sendable, Hashable {
    /// The 11-digit fødselsnummer or D-number, checksum-valid. Synthetic, so plain text is fine here.
    public let nationalId: String
    public let name: String
    public let givenName: String
    public let familyName: String
    /// `YYYY-MM-DD`, as OpenID Connect's `birthdate` claim carries it.
    public let birthdate: String
    public let kyc: KYCOutcome
    /// Politically exposed person: screening reports a PEP hit.
    public let isPEP: Bool
    /// Screening reports a sanctions-list hit.
    public let isSanctioned: Bool
    /// What the person is for in tests and demos.
    public let note: String

    public init(
        nationalId: String, name: String, givenName: String, familyName: String, birthdate: String,
        kyc: KYCOutcome, isPEP: Bool = false, isSanctioned: Bool = false, note: String = ""
    ) {
        self.nationalId = nationalId
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.birthdate = birthdate
        self.kyc = kyc
        self.isPEP = isPEP
        self.isSanctioned = isSanctioned
        self.note = note
    }
}
