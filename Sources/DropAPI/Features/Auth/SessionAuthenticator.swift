import DropStore
import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer <jwt>` (the app) or the `drop_token` cookie (the web) to the
/// signed-in user. The session row is checked on the first use of a token and then served from
/// `SessionCache`, which every revocation empties at once in every process (`SessionChanges`).
public struct SessionAuthenticator: RequestAuthenticator {
    let tokens: SessionTokens
    let database: Database
    let clock: @Sendable () -> Date
    let cache: SessionCache?

    public init(tokens: SessionTokens, database: Database, clock: @escaping @Sendable () -> Date, cachesSessions: Bool = true) {
        self.tokens = tokens
        self.database = database
        self.clock = clock
        self.cache = cachesSessions ? SessionCache() : nil
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
        if let cookie = request.cookie(Self.cookieName) {
            return try await identity(for: cookie, transport: .cookie)
        }
        return nil
    }

    func identity(for token: String, transport: Identity.Transport) async throws -> Identity? {
        let now = clock()
        let cache = database.hearsSessionChanges ? self.cache : nil
        if let hit = cache?.entry(for: token, now: now) {
            return Identity(userId: hit.userId, sessionId: hit.sessionId, role: hit.role, transport: transport,
                            authenticatedAt: hit.authenticatedAt)
        }
        let generation = cache?.currentGeneration
        guard let verified = await tokens.verify(token, now: now) else { return nil }
        if let cache, let generation,
           let ahead = cache.takeAhead(sessionId: verified.sessionId, userId: verified.userId, token: token, tokenExpiresAt: verified.expiresAt,
                                       now: now, ifGeneration: generation) {
            return Identity(userId: ahead.userId, sessionId: ahead.sessionId, role: ahead.role, transport: transport,
                            authenticatedAt: ahead.authenticatedAt)
        }
        guard let session = try await SessionRepository.active(id: verified.sessionId, at: now, in: database),
              session.userId == verified.userId, case let role = session.role else { return nil }
        if let cache, let generation {
            // A session's authentication time never changes (a step-up makes a new session), so it may be kept.
            cache.store(.init(userId: session.userId, sessionId: verified.sessionId, role: role, authenticatedAt: session.authenticatedAt,
                              expiresAt: min(session.expiresAt, verified.expiresAt), storedAt: .now),
                        for: token, ifGeneration: generation)
        }
        return Identity(userId: verified.userId, sessionId: verified.sessionId, role: role, transport: transport,
                        authenticatedAt: session.authenticatedAt, userAsChecked: session.user)
    }

    /// Reads a session ahead of its token's first use (`WarmStart`), as that first use would read it; the token's
    /// signature is still checked when it comes. Nothing is kept while this process can't hear session changes
    /// (a revocation elsewhere would go unheard). True when kept.
    func readAhead(sessionId: String) async throws -> Bool {
        guard let cache, database.hearsSessionChanges else { return false }
        let generation = cache.currentGeneration
        guard let session = try await SessionRepository.active(id: sessionId, at: clock(), in: database) else { return false }
        cache.storeAhead(.init(userId: session.userId, sessionId: sessionId, role: session.role, authenticatedAt: session.authenticatedAt,
                               expiresAt: session.expiresAt, storedAt: .now), ifGeneration: generation)
        return true
    }
}
