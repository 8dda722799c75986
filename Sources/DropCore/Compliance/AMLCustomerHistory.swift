/// What the rules know about the customer: screening flags, risk rating and earlier transfers.
///
/// Load at least `AMLConfiguration.patternLookback` of transfers (default 365 days); the velocity and
/// structuring windows are shorter. Order does not matter. Which statuses count is configured by
/// `AMLConfiguration.countedStatuses`.
public struct AMLCustomerHistory: Sendable, Hashable {
    public let transfers: [AMLPastTransfer]
    /// A PEP screening hit (`users.is_pep`).
    public let isPEP: Bool
    /// A sanctions screening hit (`users.is_sanctioned`).
    public let isSanctioned: Bool
    public let riskLevel: CustomerRiskLevel

    public init(transfers: [AMLPastTransfer], isPEP: Bool = false, isSanctioned: Bool = false, riskLevel: CustomerRiskLevel = .low) {
        self.transfers = transfers
        self.isPEP = isPEP
        self.isSanctioned = isSanctioned
        self.riskLevel = riskLevel
    }

    /// A customer with no transfers and no screening hits.
    public static let empty = AMLCustomerHistory(transfers: [])
}
