import DropStore
import Foundation
import SQLKit

/// Writes of `str_reports` and the transactions each covers (`str_report_transactions`), with
/// their audit rows, on the caller's DB transaction.
enum STRReportStore {
    static func insertDraft(alertId: String?, userId: String, reason: String, action: String, transactionIds: [String],
                            by actor: AdminActor, at now: Date, on db: any SQLDatabase) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await db.raw("""
            INSERT INTO str_reports (id, alert_id, user_id, status, reason, action, created_by, created_at, updated_at)
            VALUES (\(bind: id), \(bind: alertId), \(bind: userId), 'draft', \(bind: reason), \(bind: action), \(bind: actor.userId),
                    \(bind: now), \(bind: now))
            """).run()
        try await link(reportId: id, transactionIds: transactionIds, on: db)
        try await AuditLog.append(actor.audit("str_report.drafted", "str_report", id,
                                              data: #"{"alertId":\#(alertId.map { "\"\($0)\"" } ?? "null"),"transactions":\#(transactionIds.count)}"#),
                                  at: now, on: db)
        return id
    }

    static func link(reportId: String, transactionIds: [String], on db: any SQLDatabase) async throws {
        for transactionId in Set(transactionIds).sorted() {
            try await db.raw("""
                INSERT INTO str_report_transactions (report_id, transaction_id) VALUES (\(bind: reportId), \(bind: transactionId))
                """).run()
        }
    }

    static func replaceTransactions(reportId: String, with transactionIds: [String], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM str_report_transactions WHERE report_id = \(bind: reportId)").run()
        try await link(reportId: reportId, transactionIds: transactionIds, on: db)
    }

    /// The ids among `transactionIds` that are not `userId`'s transactions.
    static func foreignTransactions(_ transactionIds: [String], userId: String, on db: any SQLDatabase) async throws -> [String] {
        var missing: [String] = []
        for id in Set(transactionIds).sorted() {
            let row = try await db.raw("SELECT id FROM transactions WHERE id = \(bind: id) AND user_id = \(bind: userId)").first()
            if row == nil { missing.append(id) }
        }
        return missing
    }

    static func transactionIds(reportId: String, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT l.transaction_id FROM str_report_transactions l JOIN transactions t ON t.id = l.transaction_id
            WHERE l.report_id = \(bind: reportId) ORDER BY t.created_at, t.id
            """).all().map { try $0.decode(column: "transaction_id", as: String.self) }
    }
}
