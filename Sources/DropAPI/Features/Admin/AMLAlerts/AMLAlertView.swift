import DropCore
import DropStore
import Foundation

/// An AML alert as compliance sees it: the strongest rule, the score, every finding and how it was resolved.
struct AMLAlertView: Encodable, Sendable {
    struct Finding: Codable, Sendable {
        let rule: String
        let score: Int
        let reason: String
    }

    /// `aml_alerts.details` as AMLScreening writes it.
    struct Details: Codable, Sendable {
        let decision: String
        let findings: [Finding]
    }

    let id: String
    let userId: String
    let transactionId: String?
    let rule: String
    let score: Int
    let status: AMLAlertStatus
    let decision: String
    let findings: [Finding]
    let createdAt: Date
    let resolvedAt: Date?
    let resolvedBy: String?
    let resolutionReason: String?
    /// The reports drafted from it (escalation, or `POST /v1/admin/str-reports` with the alert).
    let strReportIds: [String]

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
