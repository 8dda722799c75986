import DropStore
import Foundation

/// One row of the audit log as admins read it (the hashes included, so a copy can be checked).
public struct AuditLogView: Encodable, Sendable {
    public let seq: Int64
    public let id: String
    public let at: Date
    public let actorType: String
    public let actorId: String?
    public let action: String
    public let entityType: String
    public let entityId: String
    /// The row's JSON object, as stored.
    public let data: String
    public let requestId: String?
    public let prevHash: String
    public let hash: String

    init(record: AuditLogRecord) {
        seq = record.seq
        id = record.id
        at = record.at
        actorType = record.actorType
        actorId = record.actorId
        action = record.action
        entityType = record.entityType
        entityId = record.entityId
        data = record.data
        requestId = record.requestId
        prevHash = record.prevHash
        hash = record.hash
    }
}
