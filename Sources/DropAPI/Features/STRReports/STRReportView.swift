import Foundation
import SQLKit

/// A suspicious transaction report as compliance works on it (draft) and keeps it (filed).
struct STRReportView: Encodable, Sendable {
    let id: String
    let alertId: String?
    let userId: String
    let status: String
    let reason: String
    let action: String
    let transactionIds: [String]
    let createdBy: String
    let createdAt: Date
    let updatedAt: Date
    let filedAt: Date?
    let filedBy: String?
    let fiuReference: String?

    static let columns = "s.id, s.alert_id, s.user_id, s.status, s.reason, s.action, s.created_by, s.created_at, s.updated_at, s.filed_at, s.filed_by, s.fiu_reference"

    init(row: any SQLRow, transactionIds: [String]) throws {
        id = try row.decode(column: "id", as: String.self)
        alertId = try row.decode(column: "alert_id", as: String?.self)
        userId = try row.decode(column: "user_id", as: String.self)
        status = try row.decode(column: "status", as: String.self)
        reason = try row.decode(column: "reason", as: String.self)
        action = try row.decode(column: "action", as: String.self)
        createdBy = try row.decode(column: "created_by", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
        filedAt = try row.decode(column: "filed_at", as: Date?.self)
        filedBy = try row.decode(column: "filed_by", as: String?.self)
        fiuReference = try row.decode(column: "fiu_reference", as: String?.self)
        self.transactionIds = transactionIds
    }

    static func find(id: String, on db: any SQLDatabase) async throws -> STRReportView? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: columns) FROM str_reports s WHERE s.id = \(bind: id)").first() else { return nil }
        return try STRReportView(row: row, transactionIds: try await STRReportStore.transactionIds(reportId: id, on: db))
    }
}
