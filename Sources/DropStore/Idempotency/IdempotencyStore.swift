import DropCore
import Foundation
import SQLKit

/// Remembers the outcome of requests made with an `Idempotency-Key`, so a client that retries
/// (same key, same body) gets the first response back instead of a second transfer.
///
/// A running request holds a short lease (`owner`, `lockedUntil`) that it renews while it works.
/// When the process dies, the lease lapses and the next retry *resumes* the request instead of
/// waiting 24 hours for the record to expire: the caller then finishes whatever the first
/// attempt left undone (see `IdempotentRequest`).
public struct IdempotencyStore: Sendable {
    public enum Begin: Sendable, Equatable {
        /// First time: the caller does the work and then calls `complete`.
        case started
        /// An earlier attempt's lease ran out without an answer (its process died): the caller
        /// owns the request now and must look at what the first attempt already did.
        case resumed
        /// Already done: answer with this.
        case replay(status: Int, body: String)
        /// The first request with this key is still running.
        case inProgress
        /// Same key, different request body.
        case mismatch
    }

    public static let defaultLease: TimeInterval = 20

    public let database: Database
    public let retention: TimeInterval
    /// How long a running request may go without renewing before another attempt takes it over.
    public let lease: TimeInterval

    public init(database: Database, retention: TimeInterval = IdempotencyKeys.retention, lease: TimeInterval = IdempotencyStore.defaultLease) {
        self.database = database
        self.retention = retention
        self.lease = lease
    }

    /// Starts, resumes or answers a request. `owner` names this attempt (renewals and the final
    /// answer are accepted only from the attempt holding the lease).
    public func begin(scope: String, key: String, requestHash: String, owner: String = RecordID.make(), now: Date) async throws -> Begin {
        let until = now.addingTimeInterval(lease)
        let insert: SQLQueryString = """
            INSERT INTO idempotency_keys (scope, key, request_hash, status, owner, locked_until, created_at, expires_at)
            VALUES (\(bind: scope), \(bind: key), \(bind: requestHash), 'in_progress', \(bind: owner), \(bind: until), \(bind: now),
                    \(bind: now.addingTimeInterval(retention)))
            ON CONFLICT (scope, key) DO NOTHING
            RETURNING key
            """
        // Almost every key is new: one statement takes it. Only a key seen before needs the
        // transaction below (forget it if expired, else replay, refuse or take over).
        if try await database.singleWrite({ try await $0.raw(insert).first() }) != nil { return .started }
        return try await database.transaction { db in
            // An expired record is forgotten, so the key may be used again.
            try await db.raw("""
                DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND expires_at < \(bind: now)
                """).run()
            if try await db.raw(insert).first() != nil { return .started }
            guard let row = try await db.raw("""
                SELECT request_hash, status, response_status, response_body FROM idempotency_keys
                WHERE scope = \(bind: scope) AND key = \(bind: key)
                """).first() else { return .inProgress }
            if try row.decode(column: "request_hash", as: String.self) != requestHash { return .mismatch }
            if try row.decode(column: "status", as: String.self) == "completed",
               let status = try row.decode(column: "response_status", as: Int?.self) {
                return .replay(status: status, body: try row.decode(column: "response_body", as: String?.self) ?? "")
            }
            // Still running: take it over only when its lease has lapsed (records from before
            // leases existed have none and count as lapsed).
            let taken = try await db.raw("""
                UPDATE idempotency_keys SET owner = \(bind: owner), locked_until = \(bind: until)
                WHERE scope = \(bind: scope) AND key = \(bind: key) AND status = 'in_progress'
                  AND (locked_until IS NULL OR locked_until < \(bind: now))
                RETURNING key
                """).first()
            return taken == nil ? .inProgress : .resumed
        }
    }

    /// Extends the lease of a request still running; false when another attempt has taken it over.
    @discardableResult
    public func renew(scope: String, key: String, owner: String, now: Date) async throws -> Bool {
        try await database.singleWrite { db in
            try await db.raw("""
                UPDATE idempotency_keys SET locked_until = \(bind: now.addingTimeInterval(lease))
                WHERE scope = \(bind: scope) AND key = \(bind: key) AND status = 'in_progress' AND owner = \(bind: owner)
                RETURNING key
                """).first() != nil
        }
    }

    /// Stores the answer. With an `owner`, only the attempt holding the lease may answer: false
    /// when another attempt has taken the request over (or it is answered already).
    @discardableResult
    public func complete(scope: String, key: String, owner: String? = nil, status: Int, body: String) async throws -> Bool {
        try await database.singleWrite { db in
            var query: SQLQueryString = """
                UPDATE idempotency_keys SET status = 'completed', response_status = \(bind: status), response_body = \(bind: body),
                    owner = NULL, locked_until = NULL
                WHERE scope = \(bind: scope) AND key = \(bind: key) AND status = 'in_progress'
                """
            if let owner { query.appendInterpolation(unsafeRaw: " AND owner = "); query.appendInterpolation(bind: owner) }
            query.appendInterpolation(unsafeRaw: " RETURNING key")
            return try await db.raw(query).first() != nil
        }
    }

    /// Forgets an attempt that produced no lasting outcome (e.g. a provider outage), so a retry runs again.
    public func release(scope: String, key: String, owner: String? = nil) async throws {
        try await database.singleWrite { db in
            var query: SQLQueryString = """
                DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND status = 'in_progress'
                """
            if let owner { query.appendInterpolation(unsafeRaw: " AND owner = "); query.appendInterpolation(bind: owner) }
            try await db.raw(query).run()
        }
    }

    /// Requests whose lease has lapsed without an answer: what a crash left behind.
    public func abandoned(now: Date, limit: Int = 100) async throws -> [(scope: String, key: String)] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT scope, key FROM idempotency_keys
                WHERE status = 'in_progress' AND (locked_until IS NULL OR locked_until < \(bind: now))
                ORDER BY created_at LIMIT \(bind: limit)
                """).all().map { (try $0.decode(column: "scope", as: String.self), try $0.decode(column: "key", as: String.self)) }
        }
    }

    public func purgeExpired(now: Date) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM idempotency_keys WHERE expires_at < \(bind: now)").run()
        }
    }
}
