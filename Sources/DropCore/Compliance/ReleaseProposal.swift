import Foundation

/// Four eyes on money AML held (ADR 0032): one officer proposes a held transfer's release with a
/// reason, a second approves it, and only then is the bank asked. One officer, or one stolen
/// session, can no longer let a held payment through alone.
public struct ReleaseProposal: Sendable, Equatable {
    /// This proposal, not another made later on the same transfer: an approval takes the one it was shown.
    public let id: String
    public let transactionId: String
    public let proposedBy: String
    public let reason: String
    public let proposedAt: Date

    public init(id: String = RecordID.make(), transactionId: String, proposedBy: String, reason: String, proposedAt: Date) {
        self.id = id
        self.transactionId = transactionId
        self.proposedBy = proposedBy
        self.reason = reason
        self.proposedAt = proposedAt
    }

    /// A proposal is approved on what its officer saw that day: after a day the case may have moved
    /// (new alerts, a new screening), so it lapses and someone must propose again.
    public static let lapsesAfter: TimeInterval = 24 * 60 * 60

    public var lapsesAt: Date { proposedAt.addingTimeInterval(Self.lapsesAfter) }

    public func hasLapsed(at now: Date) -> Bool { now >= lapsesAt }

    public enum Refusal: Equatable, Sendable {
        /// The officer who proposed it can't also approve it, from any session.
        case sameOfficer
        case lapsed
    }

    /// Why `officer` may not approve this proposal at `now`, or nil when they may.
    public func refusal(toApprovalBy officer: String, at now: Date) -> Refusal? {
        if officer == proposedBy { return .sameOfficer }
        if hasLapsed(at: now) { return .lapsed }
        return nil
    }
}
