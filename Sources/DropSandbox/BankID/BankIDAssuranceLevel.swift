/// BankID's levels of assurance (docs/protocols.md §3): the one `acr_values` asks for, and the one
/// the ID token's `acr` says the person signed in at. As at BankID, the request names the method
/// (`urn:bankid:bid`, `urn:bankid:bis`) and the token adds the level (`;LOA=4`, `;LOA=3`).
enum BankIDAssuranceLevel: Int, Sendable, Comparable {
    /// BankID with the code device or the app: high, LoA4. What BankID uses when nothing is asked.
    case high = 4
    /// BankID biometrics: substantial, LoA3.
    case substantial = 3

    static let supportedValues = [BankIDAssuranceLevel.high.requestValue, BankIDAssuranceLevel.substantial.requestValue]

    /// The name `acr_values` asks for it by.
    var requestValue: String {
        switch self {
        case .high: "urn:bankid:bid"
        case .substantial: "urn:bankid:bis"
        }
    }

    /// The ID token's `acr`.
    var acr: String { requestValue + ";LOA=\(rawValue)" }

    /// The ID token's `amr`.
    var amr: [String] {
        switch self {
        case .high: ["bid"]
        case .substantial: ["bis"]
        }
    }

    /// The first of `acr_values` (space-separated, in order of preference) that BankID offers; values
    /// it doesn't know are passed over (OpenID Connect Core §3.1.2.1: they are voluntary). Nil if none.
    init?(acrValues: String) {
        for value in acrValues.split(separator: " ") {
            if let level = [BankIDAssuranceLevel.high, .substantial].first(where: { $0.requestValue == value }) {
                self = level
                return
            }
        }
        return nil
    }

    static func < (lhs: BankIDAssuranceLevel, rhs: BankIDAssuranceLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
