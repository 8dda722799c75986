import AsyncHTTPClient
import DropProviders
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Signs people in with BankID (or its sandbox) through DropProviders' OpenID Connect client.
/// The client is made on first use, when Drop's public URL (and so its redirect URI) is known,
/// and then kept, with its cached discovery document and keys.
public final class BankIDIdentityProvider: IdentityProvider {
    private let issuer: @Sendable () -> String
    private let clientID: String
    private let clientSecret: String
    private let httpClient: HTTPClient
    private let now: @Sendable () -> Date
    private let logger: Logger
    /// One breaker for BankID in this process, whichever redirect URI the client is made for.
    private let breaker: CircuitBreaker
    private let client = NIOLockedValueBox<(redirectURI: String, client: BankIDClient)?>(nil)

    public init(issuer: @escaping @Sendable () -> String, clientID: String, clientSecret: String,
                httpClient: HTTPClient, now: @escaping @Sendable () -> Date, logger: Logger,
                breaker: CircuitBreaker = CircuitBreaker(provider: BankIDClient.providerName)) {
        self.logger = logger
        self.breaker = breaker
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.httpClient = httpClient
        self.now = now
    }

    func client(redirectURI: String) -> BankIDClient {
        client.withLockedValue { current in
            if let current, current.redirectURI == redirectURI { return current.client }
            let made = BankIDClient(
                configuration: BankIDClientConfiguration(issuer: issuer(), clientID: clientID, clientSecret: clientSecret, redirectURI: redirectURI),
                httpClient: httpClient, breaker: breaker, now: now, logger: logger)
            current = (redirectURI, made)
            return made
        }
    }

    public func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String, maxAge: Int?) async throws -> String {
        do {
            // A step-up both forbids a remembered sign-in (`prompt=login`) and says how old one may be (`max_age`):
            // providers that ignore one of them still honour the other, and the exchange checks `auth_time` anyway.
            return try await client(redirectURI: redirectURI).authorizationURL(
                state: state, nonce: nonce, codeChallenge: codeChallenge, prompt: maxAge == nil ? nil : "login", maxAge: maxAge).absoluteString
        } catch {
            logger.warning("BankID discovery failed", metadata: ["error": .string(String(describing: error))])
            throw AppError.providerUnavailable("BankID can't be reached right now. Try again in a minute.", retryAfterSeconds: 30)
        }
    }

    public func exchange(code: String, codeVerifier: String, nonce: String, redirectURI: String, maxAge: Int?) async throws -> SignedInPerson {
        let identity: BankIDIdentity
        do {
            identity = try await client(redirectURI: redirectURI).exchange(code: code, codeVerifier: codeVerifier, expectedNonce: nonce, maxAge: maxAge)
        } catch BankIDError.authenticationTooOld, BankIDError.missingAuthTime {
            throw StaleAuthentication()
        }
        return SignedInPerson(nationalId: identity.nationalId, name: identity.name, givenName: identity.givenName,
                              familyName: identity.familyName, birthDate: identity.birthdate, authenticatedAt: identity.authenticatedAt)
    }
}
