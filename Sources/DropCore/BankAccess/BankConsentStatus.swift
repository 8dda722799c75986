/// Drop's record of a customer's consent to read their bank (AISP): asked for and waiting for the
/// customer at the bank, valid, or over. Only a valid consent reads balances; an ended one needs a
/// new link, and `terminated` is the customer removing the bank in Drop.
public enum BankConsentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case received
    case valid
    case rejected
    case expired
    case revoked
    case terminated
}

extension BankConsentStatus {
    /// What the bank's NextGenPSD2 `consentStatus` means for Drop's record: `partiallyAuthorised` is
    /// still waiting for the customer, `revokedByPsu` and `terminatedByTpp` are Drop's `revoked` and
    /// `terminated`, and a status Drop does not know never counts as valid.
    public init(bankConsentStatus: String) {
        switch bankConsentStatus {
        case "valid": self = .valid
        case "received", "partiallyAuthorised": self = .received
        case "expired": self = .expired
        case "revokedByPsu": self = .revoked
        case "terminatedByTpp": self = .terminated
        default: self = .rejected
        }
    }
}
