import DropCore
import Crypto
import Foundation
import SQLKit

/// What happened, to what, by whom. `data` is a small JSON object without personal data.
public struct AuditEntry: Sendable, Equatable {
    public var actorType: String   // "user", "admin", "system", "provider"
    public var actorId: String?
    public var action: String      // e.g. "transaction.status_changed"
    public var entityType: String  // e.g. "transaction"
    public var entityId: String
    public var data: String
    public var requestId: String?

    public init(actorType: String, actorId: String?, action: String, entityType: String, entityId: String,
                data: String = "{}", requestId: String? = nil) {
        self.actorType = actorType
        self.actorId = actorId
        self.action = action
        self.entityType = entityType
        self.entityId = entityId
        self.data = data
        self.requestId = requestId
    }
}

/// The append-only, hash-chained audit log. Each row's hash covers its content and the previous
/// row's hash, so editing or deleting any row breaks every link after it.
public enum AuditLog {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Appends on `db`, which must be the transaction making the change being audited.
    @discardableResult
    public static func append(_ entry: AuditEntry, at: Date, on db: any SQLDatabase) async throws -> Int64 {
        // Taking the head row serializes appenders (a row lock on Postgres, the write lock on SQLite).
        guard let head = try await db.raw("""
            UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash
            """).first() else { throw AuditLogError.missingChainHead }
        let seq = try head.decode(column: "seq", as: Int64.self)
        let previous = try head.decode(column: "hash", as: String.self)
        let id = UUID().uuidString.lowercased()
        let millis = Self.millis(at)
        let hash = Self.hash(seq: seq, id: id, atMillis: millis, entry: entry, previousHash: previous)
        try await db.raw("""
            INSERT INTO audit_log (seq, id, at, actor_type, actor_id, action, entity_type, entity_id, data, request_id, prev_hash, hash)
            VALUES (\(bind: seq), \(bind: id), \(bind: Date(timeIntervalSince1970: Double(millis) / 1000)),
                    \(bind: entry.actorType), \(bind: entry.actorId), \(bind: entry.action), \(bind: entry.entityType),
                    \(bind: entry.entityId), \(bind: entry.data), \(bind: entry.requestId), \(bind: previous), \(bind: hash))
            """).run()
        try await db.raw("UPDATE audit_chain_head SET hash = \(bind: hash) WHERE id = 1").run()
        return seq
    }

    public struct Verification: Sendable, Equatable {
        public let ok: Bool
        public let checked: Int
        /// The id of the first row whose link is broken (edited, or its predecessor deleted).
        public let brokenAt: String?

        public init(ok: Bool, checked: Int, brokenAt: String?) {
            self.ok = ok
            self.checked = checked
            self.brokenAt = brokenAt
        }
    }

    /// Walks the chain in order and recomputes every hash.
    public static func verify(on db: any SQLDatabase) async throws -> Verification {
        var previous = genesisHash
        var expectedSeq: Int64 = 1
        var checked = 0
        var after: Int64 = 0
        while true {
            let rows = try await db.raw("""
                SELECT seq, id, at, actor_type, actor_id, action, entity_type, entity_id, data, request_id, prev_hash, hash
                FROM audit_log WHERE seq > \(bind: after) ORDER BY seq LIMIT 1000
                """).all()
            if rows.isEmpty { break }
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                let id = try row.decode(column: "id", as: String.self)
                let entry = AuditEntry(
                    actorType: try row.decode(column: "actor_type", as: String.self),
                    actorId: try row.decode(column: "actor_id", as: String?.self),
                    action: try row.decode(column: "action", as: String.self),
                    entityType: try row.decode(column: "entity_type", as: String.self),
                    entityId: try row.decode(column: "entity_id", as: String.self),
                    data: try row.decode(column: "data", as: String.self),
                    requestId: try row.decode(column: "request_id", as: String?.self)
                )
                let at = try row.decode(column: "at", as: Date.self)
                let stored = try row.decode(column: "hash", as: String.self)
                let storedPrevious = try row.decode(column: "prev_hash", as: String.self)
                let recomputed = hash(seq: seq, id: id, atMillis: millis(at), entry: entry, previousHash: previous)
                if seq != expectedSeq || storedPrevious != previous || stored != recomputed {
                    return Verification(ok: false, checked: checked, brokenAt: id)
                }
                previous = stored
                expectedSeq += 1
                checked += 1
                after = seq
            }
        }
        // A deleted tail shows as a head that is ahead of the last row.
        if let head = try await db.raw("SELECT seq FROM audit_chain_head WHERE id = 1").first(),
           try head.decode(column: "seq", as: Int64.self) != expectedSeq - 1 {
            return Verification(ok: false, checked: checked, brokenAt: nil)
        }
        return Verification(ok: true, checked: checked, brokenAt: nil)
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func hash(seq: Int64, id: String, atMillis: Int64, entry: AuditEntry, previousHash: String) -> String {
        // Length-prefixed fields: no value can be crafted to shift content between fields.
        let fields = [String(seq), id, String(atMillis), entry.actorType, entry.actorId ?? "", entry.action,
                      entry.entityType, entry.entityId, entry.data, entry.requestId ?? "", previousHash]
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hex.sha256(of: canonical)
    }
}

public enum AuditLogError: Error {
    case missingChainHead
}
