import DropCore
import DropStore
import Foundation

/// A transaction as compliance lists it: whose, how much, where to, and the review of a held one.
/// On the officer's own transfer, or a payment to their business, the open alert count is left out
/// (no tipping-off; `OwnCase`).
public struct AdminTransactionView: Encodable, Sendable {
    public let id: String
    public let userId: String
    public let kind: TransactionKind
    public let status: TransferStatus
    public let amount: Money
    public let total: Money
    public let receive: Money?
    public let recipientCountry: String?
    public let merchantId: String?
    public let openAlertCount: Int?
    public let failureReason: String?
    public let reviewedBy: String?
    public let reviewReason: String?
    public let scaRedirect: String?
    /// A release waiting for a second officer (ADR 0032): who proposed it, why, and when it lapses.
    public let releaseProposal: ReleaseProposalView?
    /// One transaction read alone: every alert on it, dismissed ones too, with who resolved each and why,
    /// so the approving officer sees what the proposer did to the case (ADR 0032). Nil in lists, and on
    /// the officer's own transfer (as the count).
    public let alerts: [AMLAlertView]?
    public let createdAt: Date
    public let updatedAt: Date

    init(record: ComplianceTransactionRecord, proposal: ReleaseProposal? = nil, alerts: [AMLAlertRecord]? = nil, shownTo officer: String) {
        id = record.id
        userId = record.userId
        kind = record.kind
        status = record.status
        amount = record.amount
        total = record.total
        receive = record.receive
        recipientCountry = record.recipientCountry
        merchantId = record.merchantId
        let parties = [record.userId] + (record.merchantOwnerId.map { [$0] } ?? [])
        let own = OwnCase.isOwn(officer: officer, parties: parties)
        openAlertCount = own ? nil : record.openAlertCount
        self.alerts = own ? nil : alerts?.map(AMLAlertView.init(record:))
        failureReason = record.failureReason
        reviewedBy = record.reviewedBy
        reviewReason = record.reviewReason
        scaRedirect = status == .pendingSCA ? record.scaRedirect : nil
        releaseProposal = status == .held ? proposal.map(ReleaseProposalView.init) : nil
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// A held transfer's release proposal as officers see it.
public struct ReleaseProposalView: Encodable, Sendable, Equatable {
    public let proposedBy: String
    public let reason: String
    public let proposedAt: Date
    public let lapsesAt: Date

    init(_ proposal: ReleaseProposal) {
        proposedBy = proposal.proposedBy
        reason = proposal.reason
        proposedAt = proposal.proposedAt
        lapsesAt = proposal.lapsesAt
    }
}
