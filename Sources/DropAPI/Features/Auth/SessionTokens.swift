import Foundation
import JWTKit

/// The JWT that carries a session id (HS256 with `JWT_SECRET`). It proves nothing on its own:
/// every request also checks the session row, so logout and erasure end a session at once.
public struct SessionTokens: Sendable {
    struct Claims: JWTPayload {
        var sid: String
        var sub: SubjectClaim
        var iat: IssuedAtClaim
        var exp: ExpirationClaim

        // Expiry is checked against Drop's clock by `verify(_:now:)`, not the system clock.
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    public struct Verified: Sendable, Equatable {
        public let sessionId: String
        public let userId: String
        public let expiresAt: Date
    }

    private let keys: JWTKeyCollection
    /// From `JWT_SECRET_PREVIOUS` during a rotation: sessions signed before the switch stay signed in.
    private let previousKeys: [JWTKeyCollection]

    public init(secret: String) async {
        await self.init(secrets: [secret])
    }

    /// Signs with the first secret; accepts tokens signed with any (current first, then previous).
    public init(secrets: [String]) async {
        var collections: [JWTKeyCollection] = []
        for secret in secrets {
            let collection = JWTKeyCollection()
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            collections.append(collection)
        }
        keys = collections.first ?? JWTKeyCollection()
        previousKeys = Array(collections.dropFirst())
    }

    public func sign(sessionId: String, userId: String, issuedAt: Date, expiresAt: Date) async throws -> String {
        try await keys.sign(Claims(sid: sessionId, sub: .init(value: userId), iat: .init(value: issuedAt), exp: .init(value: expiresAt)))
    }

    /// nil when the token is malformed, signed with another key, or expired.
    public func verify(_ token: String, now: Date) async -> Verified? {
        var claims = try? await keys.verify(token, as: Claims.self)
        for previous in previousKeys where claims == nil {
            claims = try? await previous.verify(token, as: Claims.self)
        }
        guard let claims, (try? claims.exp.verifyNotExpired(currentDate: now)) != nil else { return nil }
        return Verified(sessionId: claims.sid, userId: claims.sub.value, expiresAt: claims.exp.value)
    }

    /// The user a token was signed for, even when it has expired or its session ended; nil when it isn't
    /// Drop's. Never a sign-in: it only tells whose a money form posted after the session ran out was (`FormDraft`).
    public func author(of token: String) async -> String? {
        var claims = try? await keys.verify(token, as: Claims.self)
        for previous in previousKeys where claims == nil {
            claims = try? await previous.verify(token, as: Claims.self)
        }
        return claims?.sub.value
    }
}
