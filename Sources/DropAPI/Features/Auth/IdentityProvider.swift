import DropCore
import Foundation

/// Who BankID says signed in. Holds the national identity number only long enough to hash it.
public struct SignedInPerson: Sendable {
    public let nationalId: NationalIdentityNumber
    public let name: String?
    public let givenName: String?
    public let familyName: String?
    public let birthDate: CalendarDate
    /// When they authenticated at the provider (`auth_time`), if it says.
    public let authenticatedAt: Date?

    public init(nationalId: NationalIdentityNumber, name: String?, givenName: String?, familyName: String?, birthDate: CalendarDate,
                authenticatedAt: Date? = nil) {
        self.nationalId = nationalId
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
        self.authenticatedAt = authenticatedAt
    }
}

/// The OpenID Connect provider Drop signs people in with (BankID; its sandbox in development).
/// `maxAge` (seconds) asks for a step-up: the provider must authenticate the person afresh
/// (`prompt=login`, `max_age`), and the exchange refuses an ID token whose `auth_time` is older.
public protocol IdentityProvider: Sendable {
    func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String, maxAge: Int?) async throws -> String
    func exchange(code: String, codeVerifier: String, nonce: String, redirectURI: String, maxAge: Int?) async throws -> SignedInPerson
}

/// Used when no provider is configured: sign-in answers 503 instead of pretending.
public struct UnconfiguredIdentityProvider: IdentityProvider {
    public init() {}
    public func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String, maxAge: Int?) async throws -> String {
        throw AppError.providerUnavailable("Sign-in is not configured.", retryAfterSeconds: 60)
    }
    public func exchange(code: String, codeVerifier: String, nonce: String, redirectURI: String, maxAge: Int?) async throws -> SignedInPerson {
        throw AppError.providerUnavailable("Sign-in is not configured.", retryAfterSeconds: 60)
    }
}

/// A step-up sign-in came back with an authentication older than it asked for (or with no
/// `auth_time`): the provider reused a remembered sign-in, or the request was altered on the way.
public struct StaleAuthentication: Error, Sendable {
    public init() {}
}
