import DropCore
import DropStore
import Foundation
import SQLKit

/// Compliance's work on AML alerts: the queue, one alert, and the two decisions on an open one —
/// dismiss (no suspicion, with why) or escalate (drafts a suspicious transaction report). Each
/// decision is one DB transaction with its audit rows.
struct AMLAlertService: Sendable {
    let services: AppServices

    static let statuses = ["open", "dismissed", "escalated"]

    struct Filter: Sendable {
        var status: String?
        var rule: String?
        var userId: String?
        var from: Date?
        var to: Date?
    }

    func list(_ filter: Filter, page: PageRequest) async throws -> Page<AMLAlertView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        var query = AdminListQuery("SELECT \(AMLAlertView.columns) FROM aml_alerts a")
        query.and("a.status =", filter.status)
        query.and("a.rule =", filter.rule)
        query.and("a.user_id =", filter.userId)
        query.and("a.created_at >=", filter.from)
        query.and("a.created_at <", filter.to)
        query.page(table: "aml_alerts", alias: "a", cursor: cursor, limit: page.limit)
        let sql = query.sql
        let rows = try await services.database.read { try await $0.raw(sql).all() }
        return page.page(try rows.map { try AMLAlertView(row: $0) }) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    func find(id: String) async throws -> AMLAlertView {
        guard let view = try await services.database.read({ try await Self.find(id: id, on: $0) }) else {
            throw AppError.notFound("There is no such alert.")
        }
        return view
    }

    static func find(id: String, on db: any SQLDatabase) async throws -> AMLAlertView? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: AMLAlertView.columns) FROM aml_alerts a WHERE a.id = \(bind: id)").first() else {
            return nil
        }
        let reports = try await db.raw("SELECT id FROM str_reports WHERE alert_id = \(bind: id) ORDER BY created_at, id").all()
            .map { try $0.decode(column: "id", as: String.self) }
        return try AMLAlertView(row: row, strReportIds: reports)
    }

    func dismiss(id: String, reason: String, by actor: AdminActor) async throws -> AMLAlertView {
        let now = services.clock()
        return try await services.database.transaction { db in
            try await Self.resolve(id: id, as: "dismissed", reason: reason, by: actor, at: now, on: db)
            return try await Self.find(id: id, on: db)!
        }
    }

    /// Marks the alert escalated and drafts a report on its customer and transfer.
    func escalate(id: String, reason: String?, by actor: AdminActor) async throws -> (alert: AMLAlertView, reportId: String) {
        let now = services.clock()
        return try await services.database.transaction { db in
            let alert = try await Self.resolve(id: id, as: "escalated", reason: reason, by: actor, at: now, on: db)
            let reportId = try await STRReportStore.insertDraft(
                alertId: alert.id, userId: alert.userId, reason: reason ?? Self.draftReason(alert), action: "",
                transactionIds: alert.transactionId.map { [$0] } ?? [], by: actor, at: now, on: db)
            return (try await Self.find(id: id, on: db)!, reportId)
        }
    }

    /// Moves an open alert to `status` (409 when it is no longer open), with its audit row.
    @discardableResult
    static func resolve(id: String, as status: String, reason: String?, by actor: AdminActor, at now: Date,
                        on db: any SQLDatabase) async throws -> AMLAlertView {
        let moved = try await db.raw("""
            UPDATE aml_alerts SET status = \(bind: status), resolved_at = \(bind: now), resolved_by = \(bind: actor.userId),
                resolution_reason = \(bind: reason)
            WHERE id = \(bind: id) AND status = 'open' RETURNING id
            """).first() != nil
        guard moved else {
            guard let existing = try await find(id: id, on: db) else { throw AppError.notFound("There is no such alert.") }
            throw AppError.conflict("The alert is already \(existing.status).")
        }
        try await AuditLog.append(actor.audit("aml_alert.\(status)", "aml_alert", id, data: #"{"from":"open","to":"\#(status)"}"#),
                                  at: now, on: db)
        return try await find(id: id, on: db)!
    }

    /// The draft's reason until the officer writes their own: what the rules saw.
    static func draftReason(_ alert: AMLAlertView) -> String {
        "AML alert (\(alert.rule), score \(alert.score)): " + alert.findings.map(\.reason).joined(separator: " ")
    }
}
