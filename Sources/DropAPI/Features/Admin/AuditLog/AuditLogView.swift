import DropStore
import Foundation

/// One row of the audit log as admins read it (the hashes included, so a copy can be checked).
struct AuditLogView: Encodable, Sendable {
    let seq: Int64
    let id: String
    let at: Date
    let actorType: String
    let actorId: String?
    let action: String
    let entityType: String
    let entityId: String
    /// The row's JSON object, as stored.
    let data: String
    let requestId: String?
    let prevHash: String
    let hash: String

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
