import DropCore
import Foundation
import SQLKit

/// A signed-in session. The JWT carries only its id, so revoking the row ends the session at once.
public struct SessionRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var client: String
    public var createdAt: Date
    public var expiresAt: Date
    public var lastSeenAt: Date?
    public var revokedAt: Date?
    /// When the person last authenticated at BankID for this session (`auth_time`); nil for
    /// sessions from before migration 11, which count from `createdAt`.
    public var authenticatedAt: Date?

    public init(id: String, userId: String, client: String, createdAt: Date, expiresAt: Date, authenticatedAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.client = client
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.authenticatedAt = authenticatedAt
    }

    public func isActive(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }
}

/// What the authenticator needs to know about a live session, and its customer as read with it.
public struct ActiveSession: Sendable, Equatable {
    /// The customer's record, read in the same statement as the session: the request that checks a
    /// session may use it instead of reading the customer again (`SessionService.currentUser`). It is
    /// this moment's record, so it is not kept with the session.
    public let user: UserRecord
    public let expiresAt: Date
    /// When the person last proved who they are with BankID (step-up); sessions from before
    /// migration 11 count from when they were made.
    public let authenticatedAt: Date

    public var userId: String { user.id }
    public var role: UserRole { user.role }
}

public enum SessionRepository {
    public static func insert(_ session: SessionRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO sessions (id, user_id, client, created_at, expires_at, authenticated_at)
            VALUES (\(bind: session.id), \(bind: session.userId), \(bind: session.client), \(bind: session.createdAt), \(bind: session.expiresAt),
                    \(bind: session.authenticatedAt ?? session.createdAt))
            """).run()
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> SessionRecord? {
        try await db.raw("""
            SELECT id, user_id, client, created_at, expires_at, last_seen_at, revoked_at, authenticated_at FROM sessions WHERE id = \(bind: id)
            """).first().map { try $0.decode(model: SessionRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// The live session with this id and its user's role, or nil (revoked, expired, user erased).
    public static func active(id: String, at now: Date, on db: any SQLDatabase) async throws -> ActiveSession? {
        live(try Unrevoked.values(from: try await db.rows(Unrevoked.alone(id)))[id], at: now)
    }

    /// The same, read with the sessions other requests ask for meanwhile (`Database.batched`): a
    /// restart under a crowd checks every customer's session in its first second.
    public static func active(id: String, at now: Date, in database: Database) async throws -> ActiveSession? {
        live(try await database.batched(Unrevoked.self, key: id), at: now)
    }

    private static func live(_ session: ActiveSession?, at now: Date) -> ActiveSession? {
        guard let session, session.expiresAt > now else { return nil }
        return session
    }

    /// Sessions not revoked, of customers not erased, each with its customer's row. Whether one has
    /// expired is asked of the row read, not in SQL: a `PreparedRead` binds text only, and this is
    /// every first request of a session on a process (its session cache is per process), so a
    /// restart under a crowd plans it once per connection on PostgreSQL instead of once per customer.
    /// The customer's columns come with it so that a first visit that needs them (`/v1/me`, a
    /// transfer's checks) reads once instead of twice; the session's own columns are renamed where
    /// `users` has the same name.
    struct Unrevoked: BatchedColumnRead {
        static func sql(isKey: String) -> String {
            """
            SELECT s.id AS session_id, s.expires_at, s.created_at AS session_created_at, s.authenticated_at, \(UserRepository.columns(of: "u"))
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id \(isKey) AND s.revoked_at IS NULL AND u.deleted_at IS NULL
            """
        }

        static func values(from rows: [any SQLRow]) throws -> [String: ActiveSession] {
            var sessions: [String: ActiveSession] = [:]
            for row in rows {
                sessions[try row.decode(column: "session_id", as: String.self)] = ActiveSession(
                    user: try UserRecord(row: row), expiresAt: try row.decode(column: "expires_at", as: Date.self),
                    authenticatedAt: try row.decode(column: "authenticated_at", as: Date?.self)
                        ?? row.decode(column: "session_created_at", as: Date.self))
            }
            return sessions
        }

        let keys: [String]
    }

    public static func revoke(id: String, at now: Date, on db: any SQLDatabase) async throws {
        guard let row = try await db.raw("""
            UPDATE sessions SET revoked_at = \(bind: now) WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING user_id
            """).first() else { return }
        try await SessionChanges.changed(userId: try row.decode(column: "user_id", as: String.self), on: db)
    }

    /// Ends every session of a user (logout everywhere, erasure).
    public static func revokeAll(userId: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE sessions SET revoked_at = \(bind: now) WHERE user_id = \(bind: userId) AND revoked_at IS NULL").run()
        try await SessionChanges.changed(userId: userId, on: db)
    }

    /// A live session of a customer signed in lately (`recentlySignedIn`).
    public struct SignedIn: Sendable, Equatable {
        public let sessionId: String
        public let userId: String
    }

    /// The live sessions of the `customers` customers signed in most recently, newest first: whom a process that is
    /// starting reads ahead for (`WarmStart`). Admins are left out; they read no customer's pages.
    public static func recentlySignedIn(at now: Date, customers: Int, on db: any SQLDatabase) async throws -> [SignedIn] {
        try await db.raw("""
            SELECT s.id, s.user_id FROM sessions s
            WHERE s.revoked_at IS NULL AND s.expires_at > \(bind: now) AND s.user_id IN (
                SELECT l.user_id FROM sessions l JOIN users u ON u.id = l.user_id
                WHERE l.revoked_at IS NULL AND l.expires_at > \(bind: now) AND u.role <> \(bind: UserRole.admin.rawValue) AND u.deleted_at IS NULL
                GROUP BY l.user_id ORDER BY max(l.created_at) DESC, l.user_id LIMIT \(bind: customers))
            ORDER BY s.created_at DESC, s.id
            """).all().map { SignedIn(sessionId: try $0.decode(column: "id", as: String.self), userId: try $0.decode(column: "user_id", as: String.self)) }
    }

    public static func list(userId: String, on db: any SQLDatabase) async throws -> [SessionRecord] {
        try await db.raw("""
            SELECT id, user_id, client, created_at, expires_at, last_seen_at, revoked_at, authenticated_at FROM sessions
            WHERE user_id = \(bind: userId) ORDER BY created_at DESC
            """).all().map { try $0.decode(model: SessionRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }
}
