import Foundation
import SQLKit

/// One sign-in attempt: what Drop must remember between sending the browser to BankID and its
/// return (state, nonce, PKCE verifier), and for the app, the one-time code it exchanges.
public struct OIDCLoginRecord: Codable, Sendable, Equatable {
    public var id: String
    public var state: String
    public var nonce: String
    public var codeVerifier: String
    public var client: String
    public var redirectPath: String?
    public var appCodeChallenge: String?
    public var appCodeHash: String?
    public var appCodeExpiresAt: Date?
    public var userId: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var consumedAt: Date?
    public var appCodeUsedAt: Date?
    /// A step-up attempt: the most seconds the person's BankID authentication may be old at the callback.
    public var maxAge: Int?
    /// The ID token's `auth_time`, kept for the app's code exchange.
    public var authenticatedAt: Date?

    public init(id: String, state: String, nonce: String, codeVerifier: String, client: String, redirectPath: String?,
                appCodeChallenge: String?, createdAt: Date, expiresAt: Date, maxAge: Int? = nil) {
        self.id = id
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.client = client
        self.redirectPath = redirectPath
        self.appCodeChallenge = appCodeChallenge
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.maxAge = maxAge
    }
}

public enum OIDCLoginRepository {
    static let columns = """
        id, state, nonce, code_verifier, client, redirect_path, app_code_challenge, app_code_hash, app_code_expires_at,
        user_id, created_at, expires_at, consumed_at, app_code_used_at, max_age, authenticated_at
        """

    public static func insert(_ login: OIDCLoginRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO oidc_logins (id, state, nonce, code_verifier, client, redirect_path, app_code_challenge, created_at, expires_at, max_age)
            VALUES (\(bind: login.id), \(bind: login.state), \(bind: login.nonce), \(bind: login.codeVerifier), \(bind: login.client),
                    \(bind: login.redirectPath), \(bind: login.appCodeChallenge), \(bind: login.createdAt), \(bind: login.expiresAt),
                    \(bind: login.maxAge))
            """).run()
    }

    /// Takes the attempt for `state` exactly once: a second callback with the same state finds nothing.
    /// A web attempt is taken only by the browser that started it (`startedHere`); otherwise it
    /// stays for that browser, so a stranger opening the link can't burn it either.
    public static func consume(state: String, startedHere: Bool, at now: Date, on db: any SQLDatabase) async throws -> OIDCLoginRecord? {
        try await db.raw("""
            UPDATE oidc_logins SET consumed_at = \(bind: now)
            WHERE state = \(bind: state) AND consumed_at IS NULL AND expires_at > \(bind: now)
              AND (client <> 'web' OR \(bind: startedHere))
            RETURNING \(unsafeRaw: columns)
            """).first().map { try $0.decode(model: OIDCLoginRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Records the app's one-time code (hashed) and who signed in.
    public static func attachAppCode(id: String, codeHash: String, userId: String, expiresAt: Date, authenticatedAt: Date,
                                     on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE oidc_logins SET app_code_hash = \(bind: codeHash), user_id = \(bind: userId), app_code_expires_at = \(bind: expiresAt),
                   authenticated_at = \(bind: authenticatedAt)
            WHERE id = \(bind: id)
            """).run()
    }

    /// Redeems the app's one-time code exactly once, if not expired.
    public static func redeemAppCode(hash: String, at now: Date, on db: any SQLDatabase) async throws -> OIDCLoginRecord? {
        try await db.raw("""
            UPDATE oidc_logins SET app_code_used_at = \(bind: now)
            WHERE app_code_hash = \(bind: hash) AND app_code_used_at IS NULL AND app_code_expires_at > \(bind: now)
            RETURNING \(unsafeRaw: columns)
            """).first().map { try $0.decode(model: OIDCLoginRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Deletes sign-in attempts that expired before `cutoff`.
    public static func purgeExpired(before cutoff: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM oidc_logins WHERE expires_at < \(bind: cutoff)").run()
    }
}
