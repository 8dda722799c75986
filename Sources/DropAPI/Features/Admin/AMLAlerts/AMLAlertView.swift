import DropCore
import DropStore
import Foundation

/// An AML alert as compliance sees it: the strongest rule, the score, every finding and how it was resolved.
public struct AMLAlertView: Encodable, Sendable {
    public struct Finding: Codable, Sendable {
        public let rule: String
        public let score: Int
        public let reason: String
        /// The customer's earlier transfers the finding counted (structuring, velocity), oldest first; may
        /// include transfers of an account the person erased.
        public let transactionIds: [String]
    }

    public let id: String
    public let userId: String
    public let transactionId: String?
    public let rule: String
    public let score: Int
    public let status: AMLAlertStatus
    public let decision: AMLDecision
    public let findings: [Finding]
    public let createdAt: Date
    public let resolvedAt: Date?
    public let resolvedBy: String?
    public let resolutionReason: String?
    /// The reports drafted from it (escalation, or `POST /v1/admin/str-reports` with the alert).
    public let strReportIds: [String]

    init(record: AMLAlertRecord) {
        id = record.id
        userId = record.userId
        transactionId = record.transactionId
        rule = record.rule.rawValue
        score = record.score
        status = record.status
        decision = record.details.decision
        findings = record.details.findings.map {
            Finding(rule: $0.rule.rawValue, score: $0.score, reason: $0.reason, transactionIds: $0.transactionIds ?? [])
        }
        createdAt = record.createdAt
        resolvedAt = record.resolvedAt
        resolvedBy = record.resolvedBy
        resolutionReason = record.resolutionReason
        strReportIds = record.strReportIds
    }
}
