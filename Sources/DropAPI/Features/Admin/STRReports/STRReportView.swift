import DropCore
import DropStore
import Foundation

/// A suspicious transaction report as compliance works on it (draft) and keeps it (filed).
public struct STRReportView: Encodable, Sendable {
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
