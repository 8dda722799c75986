import DropCore
import Foundation
import SQLKit

/// A suspicious transaction report (`str_reports`) with the transactions it covers
/// (`str_report_transactions`), oldest first.
public struct STRReportRecord: Sendable, Equatable {
    public let id: String
    public let alertId: String?
    public let userId: String
    public let status: STRReportStatus
    public let reason: String
    public let action: String
    public let transactionIds: [String]
    public let createdBy: String
    public let createdAt: Date
    public let updatedAt: Date
    public let filedAt: Date?
    public let filedBy: String?
    public let fiuReference: String?
}

/// Reads and writes of suspicious transaction reports, on the caller's connection or DB transaction.
public enum STRReportRepository {
    static let columns = "s.id, s.alert_id, s.user_id, s.status, s.reason, s.action, s.created_by, s.created_at, s.updated_at, s.filed_at, s.filed_by, s.fiu_reference"

    public static func find(id: String, on db: DatabaseConnection) async throws -> STRReportRecord? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: columns) FROM str_reports s WHERE s.id = \(bind: id)").first() else { return nil }
        return try record(row, transactionIds: try await transactionIds(reportId: id, on: db))
    }

    /// Newest first, one more than `limit` (the caller's page knows from it whether more follow);
    /// none about `notAbout` (the officer reading), nor on a payment to their business.
    public static func list(status: STRReportStatus?, userId: String?, notAbout officer: String, after position: PagePosition?, limit: Int,
                            on db: DatabaseConnection) async throws -> [STRReportRecord] {
        var query = ListQuery("SELECT \(columns) FROM str_reports s")
        query.and("s.status =", status?.rawValue)
        query.and("s.user_id =", userId)
        query.and("s.user_id <>", officer)
        query.and("""
            NOT EXISTS (SELECT 1 FROM str_report_transactions l JOIN transactions t ON t.id = l.transaction_id
                        JOIN merchants m ON m.id = t.merchant_id WHERE l.report_id = s.id AND m.user_id = \(bind: officer))
            """)
        query.page(table: "str_reports", alias: "s", after: position, limit: limit)
        var records: [STRReportRecord] = []
        for row in try await db.raw(query.sql).all() {
            let id = try row.decode(column: "id", as: String.self)
            records.append(try record(row, transactionIds: try await transactionIds(reportId: id, on: db)))
        }
        return records
    }

    public static func insertDraft(id: String, alertId: String?, userId: String, reason: String, action: String, transactionIds: [String],
                                   createdBy: String, at now: Date, on db: DatabaseConnection) async throws {
        try await db.raw("""
            INSERT INTO str_reports (id, alert_id, user_id, status, reason, action, created_by, created_at, updated_at)
            VALUES (\(bind: id), \(bind: alertId), \(bind: userId), 'draft', \(bind: reason), \(bind: action), \(bind: createdBy),
                    \(bind: now), \(bind: now))
            """).run()
        try await link(reportId: id, transactionIds: transactionIds, on: db)
    }

    /// Locks the report's row until the transaction ends (PostgreSQL; SQLite's writes queue anyway): an
    /// edit and the filing of one draft at once are made one after the other, so an edit never changes
    /// what was filed with the FIU.
    public static func lock(id: String, on db: DatabaseConnection) async throws {
        _ = try await db.raw("SELECT id FROM str_reports WHERE id = \(bind: id)\(unsafeRaw: db.rowLockClause)").first()
    }

    public static func replaceTransactions(reportId: String, with transactionIds: [String], on db: DatabaseConnection) async throws {
        try await db.raw("DELETE FROM str_report_transactions WHERE report_id = \(bind: reportId)").run()
        try await link(reportId: reportId, transactionIds: transactionIds, on: db)
    }

    /// Changes a draft's text; a filed report is left as it is.
    public static func updateDraft(id: String, reason: String, action: String, at now: Date, on db: DatabaseConnection) async throws {
        try await db.raw("""
            UPDATE str_reports SET reason = \(bind: reason), action = \(bind: action), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'draft'
            """).run()
    }

    /// Marks a draft filed; false when it was not a draft (any more).
    public static func file(id: String, by filedBy: String, fiuReference: String?, at now: Date, on db: DatabaseConnection) async throws -> Bool {
        try await db.raw("""
            UPDATE str_reports SET status = 'filed', filed_at = \(bind: now), filed_by = \(bind: filedBy),
                fiu_reference = \(bind: fiuReference), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'draft' RETURNING id
            """).first() != nil
    }

    /// The ids among `transactionIds` that are not the person's: made from `userId` or from an account
    /// the same person erased (`UserRepository.samePerson`), as AML screening counted them.
    public static func foreignTransactions(_ transactionIds: [String], userId: String, on db: DatabaseConnection) async throws -> [String] {
        var missing: [String] = []
        for id in Set(transactionIds).sorted() {
            let theirs = try await db.raw("""
                SELECT id FROM transactions WHERE id = \(bind: id) AND user_id IN \(UserRepository.samePerson(as: userId))
                """).first() != nil
            if !theirs { missing.append(id) }
        }
        return missing
    }

    /// The accounts that made `transactionIds`: a report keeps each one's records (`PersonalData.keepRecords`).
    public static func payers(of transactionIds: [String], on db: DatabaseConnection) async throws -> [String] {
        var payers: Set<String> = []
        for id in Set(transactionIds) {
            if let row = try await db.raw("SELECT user_id FROM transactions WHERE id = \(bind: id)").first() {
                payers.insert(try row.decode(column: "user_id", as: String.self))
            }
        }
        return payers.sorted()
    }

    static func transactionIds(reportId: String, on db: DatabaseConnection) async throws -> [String] {
        try await db.raw("""
            SELECT l.transaction_id FROM str_report_transactions l JOIN transactions t ON t.id = l.transaction_id
            WHERE l.report_id = \(bind: reportId) ORDER BY t.created_at, t.id
            """).all().map { try $0.decode(column: "transaction_id", as: String.self) }
    }

    private static func link(reportId: String, transactionIds: [String], on db: DatabaseConnection) async throws {
        for transactionId in Set(transactionIds).sorted() {
            try await db.raw("""
                INSERT INTO str_report_transactions (report_id, transaction_id) VALUES (\(bind: reportId), \(bind: transactionId))
                """).run()
        }
    }

    private static func record(_ row: any SQLRow, transactionIds: [String]) throws -> STRReportRecord {
        STRReportRecord(
            id: try row.decode(column: "id", as: String.self), alertId: try row.decode(column: "alert_id", as: String?.self),
            userId: try row.decode(column: "user_id", as: String.self), status: try row.decode(column: "status", caseOf: STRReportStatus.self),
            reason: try row.decode(column: "reason", as: String.self), action: try row.decode(column: "action", as: String.self),
            transactionIds: transactionIds, createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
            filedAt: try row.decode(column: "filed_at", as: Date?.self), filedBy: try row.decode(column: "filed_by", as: String?.self),
            fiuReference: try row.decode(column: "fiu_reference", as: String?.self))
    }
}
