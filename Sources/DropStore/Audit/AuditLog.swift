import DropCore
import Crypto
import Foundation
import SQLKit

/// What happened, to what, by whom. `data` is a small JSON object without personal data.
public struct AuditEntry: Sendable, Equatable {
    public var actor: AuditActor
    public var action: String      // e.g. "transaction.status_changed"
    public var entityType: String  // e.g. "transaction"
    public var entityId: String
    /// The details as a JSON object with sorted keys, so the same details are always the same
    /// bytes under the row's hash. Never personal data.
    public private(set) var data: String
    public var requestId: String?

    /// An entry without details.
    public init(actor: AuditActor, action: String, entityType: String, entityId: String, requestId: String? = nil) {
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityId = entityId
        self.data = "{}"
        self.requestId = requestId
    }

    /// An entry whose details are `data`, encoded (never spliced into JSON text by hand, so no value
    /// can break out of its field).
    public init(actor: AuditActor, action: String, entityType: String, entityId: String, data: some Encodable,
                requestId: String? = nil) throws {
        self.init(actor: actor, action: action, entityType: entityType, entityId: entityId, requestId: requestId)
        self.data = try StoredJSON.text(data)
    }
}

/// The append-only, hash-chained audit log. Each row's hash covers its content and the previous
/// row's hash, so editing or deleting any row breaks every link after it.
public enum AuditLog {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Appends on `db`, which must be the transaction making the change being audited.
    ///
    /// In a `Database.transaction` the row is written when the body is done, just before COMMIT
    /// (`AuditedTransaction`): appending takes the chain's head row, which every audited write on
    /// PostgreSQL waits for, and it is held until COMMIT. Taken last, it is held for two round
    /// trips instead of the rest of the transaction's. Anywhere else the row is written at once.
    public static func append(_ entry: AuditEntry, at: Date, on db: any SQLDatabase) async throws {
        if let transaction = db as? AuditedTransaction { return transaction.audit(entry, at: at) }
        try await write([Appended(entry: entry, at: at)], on: db)
    }

    /// An entry waiting in its transaction to be written.
    struct Appended: Sendable {
        let entry: AuditEntry
        let at: Date
    }

    /// Writes `entries` in order at the end of the chain: the head row taken and moved on by all of
    /// them at once, then the rows and the head's new hash.
    static func write(_ entries: [Appended], on db: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        // Taking the head row serializes appenders (a row lock on Postgres, the write lock on SQLite).
        guard let head = try await db.raw("""
            UPDATE audit_chain_head SET seq = seq + \(bind: Int64(entries.count)) WHERE id = 1 RETURNING seq, hash
            """).first() else { throw AuditLogError.missingChainHead }
        var seq = try head.decode(column: "seq", as: Int64.self) - Int64(entries.count)
        var previous = try head.decode(column: "hash", as: String.self)
        // 12 values a row: 400 rows stay far inside both engines' limits on bound values.
        for chunk in stride(from: 0, to: entries.count, by: 400).map({ entries[$0..<min($0 + 400, entries.count)] }) {
            var rows: [SQLQueryString] = []
            for appended in chunk {
                seq += 1
                let (entry, id, millis) = (appended.entry, RecordID.make(), Self.millis(appended.at))
                let hash = Self.hash(seq: seq, id: id, atMillis: millis, fields: HashedFields(entry), previousHash: previous)
                rows.append("""
                    (\(bind: seq), \(bind: id), \(bind: Date(timeIntervalSince1970: Double(millis) / 1000)),
                     \(bind: entry.actor.type), \(bind: entry.actor.id), \(bind: entry.action), \(bind: entry.entityType),
                     \(bind: entry.entityId), \(bind: entry.data), \(bind: entry.requestId), \(bind: previous), \(bind: hash))
                    """)
                previous = hash
            }
            let insert: SQLQueryString = """
                INSERT INTO audit_log (seq, id, at, actor_type, actor_id, action, entity_type, entity_id, data, request_id, prev_hash, hash)
                VALUES \(rows.joined(separator: ", "))
                """
            if db.dialect.name == "postgresql" {
                // The rows and the head's new hash in one statement (a data-modifying WITH, which
                // SQLite lacks): the head is then held for this statement and COMMIT only.
                try await db.raw("WITH head AS (UPDATE audit_chain_head SET hash = \(bind: previous) WHERE id = 1) " + insert).run()
            } else {
                try await db.raw(insert).run()
                try await db.raw("UPDATE audit_chain_head SET hash = \(bind: previous) WHERE id = 1").run()
            }
        }
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

    /// Walks the chain in order and recomputes every hash, up to the head as it was when the walk
    /// began. The head is read first: an entry committed while the rows are read lies beyond it and
    /// is left for the next walk, instead of making an intact chain look cut short.
    public static func verify(on db: any SQLDatabase) async throws -> Verification {
        guard let headRow = try await db.raw("SELECT seq, hash FROM audit_chain_head WHERE id = 1").first() else {
            throw AuditLogError.missingChainHead
        }
        let head = (seq: try headRow.decode(column: "seq", as: Int64.self), hash: try headRow.decode(column: "hash", as: String.self))
        var previous = genesisHash
        var expectedSeq: Int64 = 1
        var checked = 0
        var after: Int64 = 0
        while after < head.seq {
            let rows = try await db.raw("""
                SELECT seq, id, at, actor_type, actor_id, action, entity_type, entity_id, data, request_id, prev_hash, hash
                FROM audit_log WHERE seq > \(bind: after) AND seq <= \(bind: head.seq) ORDER BY seq LIMIT 1000
                """).all()
            if rows.isEmpty { break }
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                let id = try row.decode(column: "id", as: String.self)
                // The stored text as it is, whatever it says: a row edited to name an actor Drop
                // doesn't have must still fail on its hash, not on reading it.
                let fields = HashedFields(
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
                let recomputed = hash(seq: seq, id: id, atMillis: millis(at), fields: fields, previousHash: previous)
                if seq != expectedSeq || storedPrevious != previous || stored != recomputed {
                    return Verification(ok: false, checked: checked, brokenAt: id)
                }
                previous = stored
                expectedSeq += 1
                checked += 1
                after = seq
            }
        }
        // A deleted tail shows as a head that is ahead of the last row; a replaced one as a last row
        // whose hash is not the head's.
        if expectedSeq - 1 != head.seq || previous != head.hash {
            return Verification(ok: false, checked: checked, brokenAt: nil)
        }
        return Verification(ok: true, checked: checked, brokenAt: nil)
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// A row's columns under its hash, as text.
    struct HashedFields {
        var actorType: String
        var actorId: String?
        var action: String
        var entityType: String
        var entityId: String
        var data: String
        var requestId: String?
    }

    static func hash(seq: Int64, id: String, atMillis: Int64, fields f: HashedFields, previousHash: String) -> String {
        // Length-prefixed fields: no value can be crafted to shift content between fields.
        let fields = [String(seq), id, String(atMillis), f.actorType, f.actorId ?? "", f.action,
                      f.entityType, f.entityId, f.data, f.requestId ?? "", previousHash]
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hex.sha256(of: canonical)
    }
}

extension AuditLog.HashedFields {
    init(_ entry: AuditEntry) {
        self.init(actorType: entry.actor.type, actorId: entry.actor.id, action: entry.action, entityType: entry.entityType,
                  entityId: entry.entityId, data: entry.data, requestId: entry.requestId)
    }
}

public enum AuditLogError: Error {
    case missingChainHead
}
