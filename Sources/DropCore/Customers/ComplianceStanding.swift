/// What the AML rules know of a person beyond their transfers: their KYC outcome, screening hits and
/// risk rating (`users`).
///
/// Erasure blanks who a customer is, but AML law keeps their records, under the hash of their national
/// identity number, for five years (hvitvaskingsloven § 30). A person who erases their account and signs
/// in again gets a new one; it starts from what those records say, or erasing would clear a sanctions
/// hit, a PEP hit, a high risk rating or a final KYC rejection.
public struct ComplianceStanding: Sendable, Equatable {
    public var kycStatus: KYCStatus
    public var isPEP: Bool
    public var isSanctioned: Bool
    public var riskLevel: CustomerRiskLevel

    public init(kycStatus: KYCStatus, isPEP: Bool, isSanctioned: Bool, riskLevel: CustomerRiskLevel) {
        self.kycStatus = kycStatus
        self.isPEP = isPEP
        self.isSanctioned = isSanctioned
        self.riskLevel = riskLevel
    }

    /// Someone Drop has no records of.
    public static let newCustomer = ComplianceStanding(kycStatus: .none, isPEP: false, isSanctioned: false, riskLevel: .low)

    /// A new account's standing, from the person's earlier (erased) accounts: every hit and the highest
    /// rating carry over, and a final rejection stays final. An approval does not: the identity check is
    /// done again for the new account.
    public static func carriedOver(from earlier: [ComplianceStanding]) -> ComplianceStanding {
        let ratings = CustomerRiskLevel.allCases
        return earlier.reduce(newCustomer) { standing, account in
            ComplianceStanding(
                kycStatus: standing.kycStatus == .rejected || account.kycStatus == .rejected ? .rejected : .none,
                isPEP: standing.isPEP || account.isPEP, isSanctioned: standing.isSanctioned || account.isSanctioned,
                riskLevel: ratings[max(ratings.firstIndex(of: standing.riskLevel) ?? 0, ratings.firstIndex(of: account.riskLevel) ?? 0)])
        }
    }
}
