import Foundation
import SQLKit

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
    let status: String
    let decision: String
    let findings: [Finding]
    let createdAt: Date
    let resolvedAt: Date?
    let resolvedBy: String?
    let resolutionReason: String?
    /// The reports drafted from it (escalation, or `POST /v1/admin/str-reports` with the alert).
    let strReportIds: [String]

    static let columns = """
        a.id, a.user_id, a.transaction_id, a.rule, a.score, a.status, a.details, a.created_at, a.resolved_at, a.resolved_by, a.resolution_reason
        """

    init(row: any SQLRow, strReportIds: [String] = []) throws {
        id = try row.decode(column: "id", as: String.self)
        userId = try row.decode(column: "user_id", as: String.self)
        transactionId = try row.decode(column: "transaction_id", as: String?.self)
        rule = try row.decode(column: "rule", as: String.self)
        score = try row.decode(column: "score", as: Int.self)
        status = try row.decode(column: "status", as: String.self)
        let details = try? JSONDecoder().decode(Details.self, from: Data(try row.decode(column: "details", as: String.self).utf8))
        decision = details?.decision ?? "alert"
        findings = details?.findings ?? []
        createdAt = try row.decode(column: "created_at", as: Date.self)
        resolvedAt = try row.decode(column: "resolved_at", as: Date?.self)
        resolvedBy = try row.decode(column: "resolved_by", as: String?.self)
        resolutionReason = try row.decode(column: "resolution_reason", as: String?.self)
        self.strReportIds = strReportIds
    }
}
