import Foundation
import SQLKit

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

    static let columns = "seq, id, at, actor_type, actor_id, action, entity_type, entity_id, data, request_id, prev_hash, hash"

    init(row: any SQLRow) throws {
        seq = try row.decode(column: "seq", as: Int64.self)
        id = try row.decode(column: "id", as: String.self)
        at = try row.decode(column: "at", as: Date.self)
        actorType = try row.decode(column: "actor_type", as: String.self)
        actorId = try row.decode(column: "actor_id", as: String?.self)
        action = try row.decode(column: "action", as: String.self)
        entityType = try row.decode(column: "entity_type", as: String.self)
        entityId = try row.decode(column: "entity_id", as: String.self)
        data = try row.decode(column: "data", as: String.self)
        requestId = try row.decode(column: "request_id", as: String?.self)
        prevHash = try row.decode(column: "prev_hash", as: String.self)
        hash = try row.decode(column: "hash", as: String.self)
    }
}
