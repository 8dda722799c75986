import DropCore
import Foundation
import SQLKit

/// An AML alert (`aml_alerts`): the strongest rule, the score, the findings as stored JSON and how
/// it was resolved.
public struct AMLAlertRecord: Sendable, Equatable {
    public let id: String
    public let userId: String
    public let transactionId: String?
    public let rule: AMLRuleID
    public let score: Int
    public let status: AMLAlertStatus
    /// `aml_alerts.details`: the decision and every finding.
    public let details: AMLAlertDetails
    public let createdAt: Date
    public let resolvedAt: Date?
    public let resolvedBy: String?
    public let resolutionReason: String?
    /// The reports drafted from it; only `find` reads them (lists leave them empty).
    public let strReportIds: [String]

    /// The transfers the alert is about: its own, then the earlier ones its findings counted (a split
    /// amount's other parts), each once. What a report drafted from it covers, and whose parties it concerns.
    public var transactionIds: [String] {
        var ids = transactionId.map { [$0] } ?? []
        for id in details.findings.flatMap({ $0.transactionIds ?? [] }) where !ids.contains(id) { ids.append(id) }
        return ids
    }
}

/// What an AML alert keeps of the assessment that raised it, stored as JSON in `aml_alerts.details`.
public struct AMLAlertDetails: Codable, Sendable, Equatable {
    public struct Finding: Codable, Sendable, Equatable {
        public let rule: AMLRuleID
        public let score: Int
        public let reason: String
        /// `AMLFinding.transferIds`; nil in alerts stored before findings named them.
        public let transactionIds: [String]?
    }

    public let decision: AMLDecision
    /// Highest score first, as the assessment ordered them.
    public let findings: [Finding]

    public init(_ assessment: AMLAssessment) {
        decision = assessment.decision
        findings = assessment.findings.map {
            Finding(rule: $0.rule, score: $0.score, reason: $0.reason, transactionIds: $0.transferIds.isEmpty ? nil : $0.transferIds)
        }
    }
}

public enum AMLAlertRepository {
    static let columns = """
        a.id, a.user_id, a.transaction_id, a.rule, a.score, a.status, a.details, a.created_at, a.resolved_at, a.resolved_by, a.resolution_reason
        """

    /// Newest first, one more than `limit` (the caller's page knows from it whether more follow);
    /// none about `notAbout` (the officer reading), nor on a payment to their business.
    public static func list(status: AMLAlertStatus?, rule: AMLRuleID?, userId: String?, notAbout officer: String, from: Date?, to: Date?,
                            after position: PagePosition?, limit: Int, on db: DatabaseConnection) async throws -> [AMLAlertRecord] {
        var query = ListQuery("SELECT \(columns) FROM aml_alerts a")
        query.and("a.status =", status?.rawValue)
        query.and("a.rule =", rule?.rawValue)
        query.and("a.user_id =", userId)
        query.and("a.user_id <>", officer)
        query.and("""
            NOT EXISTS (SELECT 1 FROM transactions t JOIN merchants m ON m.id = t.merchant_id
                        WHERE t.id = a.transaction_id AND m.user_id = \(bind: officer))
            """)
        query.and("a.created_at >=", from)
        query.and("a.created_at <", to)
        query.page(table: "aml_alerts", alias: "a", after: position, limit: limit)
        return try await db.raw(query.sql).all().map { try record($0) }
    }

    public static func find(id: String, on db: DatabaseConnection) async throws -> AMLAlertRecord? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: columns) FROM aml_alerts a WHERE a.id = \(bind: id)").first() else {
            return nil
        }
        let reports = try await db.raw("SELECT id FROM str_reports WHERE alert_id = \(bind: id) ORDER BY created_at, id").all()
            .map { try $0.decode(column: "id", as: String.self) }
        return try record(row, strReportIds: reports)
    }

    /// Every alert raised on one transfer, open or resolved, oldest first: what a second officer sees
    /// before approving its release (ADR 0032).
    public static func list(transactionId: String, on db: DatabaseConnection) async throws -> [AMLAlertRecord] {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM aml_alerts a WHERE a.transaction_id = \(bind: transactionId) ORDER BY a.created_at, a.id")
            .all().map { try record($0) }
    }

    /// Whether an alert on the transfer was raised or resolved after `since` (a release proposal was
    /// made): the case moved under the proposal.
    public static func movedOnTransaction(_ transactionId: String, since: Date, on db: DatabaseConnection) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS moved FROM aml_alerts
            WHERE transaction_id = \(bind: transactionId) AND (created_at > \(bind: since) OR resolved_at > \(bind: since))
            LIMIT 1
            """).first() != nil
    }

    public static func insert(id: String, userId: String, transactionId: String?, rule: AMLRuleID, score: Int, details: AMLAlertDetails,
                              at now: Date, on db: DatabaseConnection) async throws {
        try await db.runBatched("""
            INSERT INTO aml_alerts (id, user_id, transaction_id, rule, score, status, details, created_at)
            VALUES (\(bind: id), \(bind: userId), \(bind: transactionId), \(bind: rule.rawValue), \(bind: score), 'open',
                    \(bind: try StoredJSON.text(details)), \(bind: now))
            """)
    }

    /// Moves an open alert to `status`; false when there is no such open alert.
    public static func resolve(id: String, as status: AMLAlertStatus, reason: String?, by resolvedBy: String, at now: Date,
                               on db: DatabaseConnection) async throws -> Bool {
        try await db.raw("""
            UPDATE aml_alerts SET status = \(bind: status.rawValue), resolved_at = \(bind: now), resolved_by = \(bind: resolvedBy),
                resolution_reason = \(bind: reason)
            WHERE id = \(bind: id) AND status = 'open' RETURNING id
            """).first() != nil
    }

    private static func record(_ row: any SQLRow, strReportIds: [String] = []) throws -> AMLAlertRecord {
        AMLAlertRecord(
            id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            transactionId: try row.decode(column: "transaction_id", as: String?.self), rule: try row.decode(column: "rule", caseOf: AMLRuleID.self),
            score: try row.decode(column: "score", as: Int.self), status: try row.decode(column: "status", caseOf: AMLAlertStatus.self),
            details: try StoredJSON.value(AMLAlertDetails.self, from: try row.decode(column: "details", as: String.self)), createdAt: try row.decode(column: "created_at", as: Date.self),
            resolvedAt: try row.decode(column: "resolved_at", as: Date?.self), resolvedBy: try row.decode(column: "resolved_by", as: String?.self),
            resolutionReason: try row.decode(column: "resolution_reason", as: String?.self), strReportIds: strReportIds)
    }
}
