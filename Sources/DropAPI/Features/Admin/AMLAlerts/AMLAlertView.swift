import DropCore
import DropStore
import Foundation

/// An AML alert as compliance sees it: the strongest rule, the score, every finding and how it was resolved.
public struct AMLAlertView: Encodable, Sendable {
    public struct Finding: Codable, Sendable {
        public let rule: String
        public let score: Int
        public let reason: String
    }

    /// `aml_alerts.details` as AMLScreening writes it.
    public struct Details: Codable, Sendable {
        public let decision: String
        public let findings: [Finding]
    }

    public let id: String
    public let userId: String
    public let transactionId: String?
    public let rule: String
    public let score: Int
    public let status: AMLAlertStatus
    public let decision: String
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
        let details = try? JSONDecoder().decode(Details.self, from: Data(record.details.utf8))
        decision = details?.decision ?? "alert"
        findings = details?.findings ?? []
        createdAt = record.createdAt
        resolvedAt = record.resolvedAt
        resolvedBy = record.resolvedBy
        resolutionReason = record.resolutionReason
        strReportIds = record.strReportIds
    }
}
