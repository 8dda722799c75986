import DropCore
import DropStore
import Foundation

/// A suspicious transaction report as compliance works on it (draft) and keeps it (filed).
struct STRReportView: Encodable, Sendable {
    let id: String
    let alertId: String?
    let userId: String
    let status: STRReportStatus
    let reason: String
    let action: String
    let transactionIds: [String]
    let createdBy: String
    let createdAt: Date
    let updatedAt: Date
    let filedAt: Date?
    let filedBy: String?
    let fiuReference: String?

    init(record: STRReportRecord) {
        id = record.id
        alertId = record.alertId
        userId = record.userId
        status = record.status
        reason = record.reason
        action = record.action
        transactionIds = record.transactionIds
        createdBy = record.createdBy
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        filedAt = record.filedAt
        filedBy = record.filedBy
        fiuReference = record.fiuReference
    }

    static func find(id: String, on db: DatabaseConnection) async throws -> STRReportView? {
        try await STRReportRepository.find(id: id, on: db).map(STRReportView.init(record:))
    }
}
