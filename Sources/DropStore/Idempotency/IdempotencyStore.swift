import Foundation
import SQLKit

/// Remembers the outcome of requests made with an `Idempotency-Key`, so a client that retries
/// (same key, same body) gets the first response back instead of a second transfer.
public struct IdempotencyStore: Sendable {
    public enum Begin: Sendable, Equatable {
        /// First time: the caller does the work and then calls `complete`.
        case started
        /// Already done: answer with this.
        case replay(status: Int, body: String)
        /// The first request with this key is still running.
        case inProgress
        /// Same key, different request body.
        case mismatch
    }

    public let database: Database
    public let retention: TimeInterval

    public init(database: Database, retention: TimeInterval = 24 * 3600) {
        self.database = database
        self.retention = retention
    }

    public func begin(scope: String, key: String, requestHash: String, now: Date) async throws -> Begin {
        try await database.transaction { db in
            // An expired record is forgotten, so the key may be used again.
            try await db.raw("""
                DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND expires_at < \(bind: now)
                """).run()
            let inserted = try await db.raw("""
                INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at, expires_at)
                VALUES (\(bind: scope), \(bind: key), \(bind: requestHash), 'in_progress', \(bind: now), \(bind: now.addingTimeInterval(retention)))
                ON CONFLICT (scope, key) DO NOTHING
                RETURNING key
                """).first()
            if inserted != nil { return .started }
            guard let row = try await db.raw("""
                SELECT request_hash, status, response_status, response_body FROM idempotency_keys
                WHERE scope = \(bind: scope) AND key = \(bind: key)
                """).first() else { return .inProgress }
            if try row.decode(column: "request_hash", as: String.self) != requestHash { return .mismatch }
            guard try row.decode(column: "status", as: String.self) == "completed",
                  let status = try row.decode(column: "response_status", as: Int?.self) else { return .inProgress }
            return .replay(status: status, body: try row.decode(column: "response_body", as: String?.self) ?? "")
        }
    }

    public func complete(scope: String, key: String, status: Int, body: String) async throws {
        try await database.read { db in
            try await db.raw("""
                UPDATE idempotency_keys SET status = 'completed', response_status = \(bind: status), response_body = \(bind: body)
                WHERE scope = \(bind: scope) AND key = \(bind: key)
                """).run()
        }
    }

    /// Forgets an attempt that produced no lasting outcome (e.g. a provider outage), so a retry runs again.
    public func release(scope: String, key: String) async throws {
        try await database.read { db in
            try await db.raw("""
                DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND status = 'in_progress'
                """).run()
        }
    }

    public func purgeExpired(now: Date) async throws {
        try await database.read { db in
            try await db.raw("DELETE FROM idempotency_keys WHERE expires_at < \(bind: now)").run()
        }
    }
}
