/// What the rules know about the customer: screening flags, risk rating and earlier transfers.
///
/// Load at least `AMLConfiguration.patternLookback` of transfers (default 365 days); the velocity and
/// structuring windows are shorter. Order does not matter. Which statuses count is configured by
/// `AMLConfiguration.countedStatuses`; a transfer whose money left counts whatever its status.
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

    /// Whether no earlier transfer has paid `payeeAccount` (`AMLPastTransfer.payeeAccount`): the "first
    /// transfer to a recipient" the rules ask about. Only a transfer whose money left counts (`statuses`,
    /// `AMLConfiguration.paidStatuses`, or a QR payment settled after it ended: `AMLPastTransfer.paidByItsSettlement`):
    /// one cancelled, expired, refused, held or never approved paid no one, and would otherwise make the
    /// next, large transfer look like one to a payee already paid. The
    /// account, not the recipient's id: a recipient edited into someone else's account was never paid,
    /// and a standing order's payment pays the account it was approved for, whatever the recipient reads.
    public func isFirstTransfer(to payeeAccount: String, excluding transferId: String?, counting statuses: Set<TransferStatus>) -> Bool {
        !transfers.contains { $0.payeeAccount == payeeAccount && $0.transferId != transferId && (statuses.contains($0.status) || $0.paidByItsSettlement) }
    }

    /// A customer with no transfers and no screening hits.
    public static let empty = AMLCustomerHistory(transfers: [])
}
