import DropCore
import DropStore
import Foundation

/// A signed-in person's session: who is calling, and ending one session or all of them. Shared by
/// the API and the web pages.
public struct SessionService: Sendable {
    let database: Database
    let environment: DropEnvironment
    let clock: @Sendable () -> Date

    /// The signed-in caller's customer record: as read with the session when this request checked
    /// it (a first visit: one statement instead of two), otherwise read now.
    public func currentUser(_ context: AppRequestContext) async throws -> UserRecord {
        let identity = try context.requireIdentity()
        if let user = identity.userAsChecked { return user }
        guard let user = try await UserRepository.find(id: identity.userId, in: database) else {
            throw AppError.unauthenticated
        }
        return user
    }

    /// Revokes the caller's session (the token stops working at once, on every instance) and audits it.
    public func end(_ identity: Identity, requestID: String) async throws {
        let now = clock()
        try await database.transaction { db in
            try await SessionRepository.revoke(id: identity.sessionId, at: now, on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: identity.userId), action: "session.revoked",
                                                 entityType: "session", entityId: identity.sessionId, requestId: requestID),
                                      at: now, on: db)
        }
    }

    /// Signs the customer out on every device at once (a lost phone, a shared computer).
    public func endAll(userId: String, requestID: String) async throws {
        let now = clock()
        try await database.transaction { db in
            try await SessionRepository.revokeAll(userId: userId, at: now, on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "session.revoked_all",
                                                 entityType: "user", entityId: userId, requestId: requestID), at: now, on: db)
        }
    }

    /// A `Set-Cookie` value that removes the session cookie.
    public var expiredCookie: String {
        AuthFeature.sessionCookie("", maxAge: 0, secure: environment != .development)
    }
}
