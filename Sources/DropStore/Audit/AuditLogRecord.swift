import Foundation
import SQLKit

/// One stored row of the audit log, hashes included (so a copy can be checked).
public struct AuditLogRecord: Sendable, Equatable {
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
}

extension AuditLog {
    /// What to read of the log; nil fields don't filter.
    public struct Filter: Sendable, Equatable {
        public var entityType: String?
        public var entityId: String?
        /// One actor by its id (a user's, `sumsub`), or every actor of a kind (`AuditActor.kinds`: `provider`, `system`…).
        public var actor: String?
        public var action: String?
        public var from: Date?
        public var to: Date?

        public init(entityType: String? = nil, entityId: String? = nil, actor: String? = nil, action: String? = nil,
                    from: Date? = nil, to: Date? = nil) {
            self.entityType = entityType
            self.entityId = entityId
            self.actor = actor
            self.action = action
            self.from = from
            self.to = to
        }
    }

    static let columns = "seq, id, at, actor_type, actor_id, action, entity_type, entity_id, data, request_id, prev_hash, hash"

    /// Newest first by sequence, below `beforeSeq`; one more than `limit` (so the caller knows whether more follow).
    /// None about `notAbout` (the officer reading): their own customer record, their payments and the ones to their
    /// business, and the AML alerts and reports on them, as their lists leave those out. Otherwise an officer could
    /// read here that a report names them, or try the ids listed against the alert and report pages.
    public static func entries(_ filter: Filter, notAbout officer: String, beforeSeq: Int64?, limit: Int,
                               on db: DatabaseConnection) async throws -> [AuditLogRecord] {
        var query = ListQuery("SELECT \(columns) FROM audit_log")
        query.and("""
            NOT ((entity_type = 'user' AND entity_id = \(bind: officer))
              OR (entity_type = 'transaction' AND EXISTS (
                    SELECT 1 FROM transactions t LEFT JOIN merchants m ON m.id = t.merchant_id
                    WHERE t.id = audit_log.entity_id AND (t.user_id = \(bind: officer) OR m.user_id = \(bind: officer))))
              OR (entity_type = 'aml_alert' AND EXISTS (
                    SELECT 1 FROM aml_alerts a LEFT JOIN transactions t ON t.id = a.transaction_id LEFT JOIN merchants m ON m.id = t.merchant_id
                    WHERE a.id = audit_log.entity_id AND (a.user_id = \(bind: officer) OR m.user_id = \(bind: officer))))
              OR (entity_type = 'str_report' AND EXISTS (
                    SELECT 1 FROM str_reports s WHERE s.id = audit_log.entity_id AND (s.user_id = \(bind: officer) OR EXISTS (
                        SELECT 1 FROM str_report_transactions l JOIN transactions t ON t.id = l.transaction_id
                        JOIN merchants m ON m.id = t.merchant_id WHERE l.report_id = s.id AND m.user_id = \(bind: officer))))))
            """)
        query.and("entity_type =", filter.entityType)
        query.and("entity_id =", filter.entityId)
        if let actor = filter.actor {
            // A kind is never an actor's id; an id is matched alone, so the actor index serves it.
            if AuditActor.kinds.contains(actor) {
                query.and("actor_type =", actor)
            } else {
                query.and("actor_id =", actor)
            }
        }
        query.and("action =", filter.action)
        query.and("at >=", filter.from)
        query.and("at <", filter.to)
        query.and("seq <", beforeSeq)
        var sql = query.sql
        sql.appendInterpolation(unsafeRaw: " ORDER BY seq DESC LIMIT ")
        sql.appendInterpolation(bind: limit + 1)
        return try await db.raw(sql).all().map { row in
            AuditLogRecord(
                seq: try row.decode(column: "seq", as: Int64.self), id: try row.decode(column: "id", as: String.self),
                at: try row.decode(column: "at", as: Date.self), actorType: try row.decode(column: "actor_type", as: String.self),
                actorId: try row.decode(column: "actor_id", as: String?.self), action: try row.decode(column: "action", as: String.self),
                entityType: try row.decode(column: "entity_type", as: String.self), entityId: try row.decode(column: "entity_id", as: String.self),
                data: try row.decode(column: "data", as: String.self), requestId: try row.decode(column: "request_id", as: String?.self),
                prevHash: try row.decode(column: "prev_hash", as: String.self), hash: try row.decode(column: "hash", as: String.self))
        }
    }
}
