import DropCore

/// Who BankID says signed in. Holds the national identity number only long enough to hash it.
public struct SignedInPerson: Sendable {
    public let nationalId: NationalIdentityNumber
    public let name: String?
    public let givenName: String?
    public let familyName: String?
    public let birthDate: CalendarDate

    public init(nationalId: NationalIdentityNumber, name: String?, givenName: String?, familyName: String?, birthDate: CalendarDate) {
        self.nationalId = nationalId
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
    }
}

/// The OpenID Connect provider Drop signs people in with (BankID; its sandbox in development).
public protocol IdentityProvider: Sendable {
    func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String) async throws -> String
    func exchange(code: String, codeVerifier: String, nonce: String, redirectURI: String) async throws -> SignedInPerson
}

/// Used when no provider is configured: sign-in answers 503 instead of pretending.
public struct UnconfiguredIdentityProvider: IdentityProvider {
    public init() {}
    public func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String) async throws -> String {
        throw AppError.providerUnavailable("Sign-in is not configured.", retryAfterSeconds: 60)
    }
    public func exchange(code: String, codeVerifier: String, nonce: String, redirectURI: String) async throws -> SignedInPerson {
        throw AppError.providerUnavailable("Sign-in is not configured.", retryAfterSeconds: 60)
    }
}
