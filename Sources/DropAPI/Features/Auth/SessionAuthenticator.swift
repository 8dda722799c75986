import DropStore
import Foundation
import Hummingbird
import SQLKit

/// Resolves `Authorization: Bearer <jwt>` (the app) or the `drop_token` cookie (the web) to the
/// signed-in user, checking the session row each time so a revoked session stops at once.
public struct SessionAuthenticator: RequestAuthenticator {
    let tokens: SessionTokens
    let database: Database
    let clock: @Sendable () -> Date

    public init(tokens: SessionTokens, database: Database, clock: @escaping @Sendable () -> Date) {
        self.tokens = tokens
        self.database = database
        self.clock = clock
    }

    public static let cookieName = "drop_token"

    public func authenticate(_ request: Request, context: AppRequestContext) async throws -> Identity? {
        // Other schemes (e.g. Basic towards a sandbox's token endpoint) are not Drop's to judge.
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            guard let identity = try await identity(for: String(header.dropFirst(7)), transport: .bearer) else {
                throw AppError(.unauthorized, code: "UNAUTHENTICATED", message: "The access token is invalid, expired or revoked.",
                               headers: [.wwwAuthenticate: "Bearer"])
            }
            return identity
        }
        // A stale cookie is treated as no cookie: pages then send the person to sign in again.
        if let cookie = request.cookies[Self.cookieName]?.value {
            return try await identity(for: cookie, transport: .cookie)
        }
        return nil
    }

    func identity(for token: String, transport: Identity.Transport) async throws -> Identity? {
        let now = clock()
        guard let verified = await tokens.verify(token, now: now) else { return nil }
        let row = try await database.read { db in
            try await db.raw("""
                SELECT s.user_id, u.role, s.authenticated_at, s.created_at FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = \(bind: verified.sessionId) AND s.revoked_at IS NULL AND s.expires_at > \(bind: now)
                  AND u.deleted_at IS NULL
                """).first()
        }
        guard let row, try row.decode(column: "user_id", as: String.self) == verified.userId,
              let role = Identity.Role(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
        return Identity(userId: verified.userId, sessionId: verified.sessionId, role: role, transport: transport,
                        // Sessions from before migration 11 count from when they were made.
                        authenticatedAt: try row.decode(column: "authenticated_at", as: Date?.self) ?? row.decode(column: "created_at", as: Date.self))
    }
}
