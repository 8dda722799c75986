import AsyncHTTPClient
import Foundation
import Logging

/// The OpenID Connect relying party Drop signs people in with: BankID in production, the BankID
/// sandbox in development, and any provider speaking the same protocol (ID-porten, Signicat).
///
/// Authorization code flow with PKCE S256 and `client_secret_basic` (docs/flows.md):
/// ```swift
/// let bankID = BankIDClient(configuration: .init(issuer: issuer, clientID: "drop", clientSecret: secret,
///                                                redirectURI: "\(base)/v1/auth/bankid/callback"),
///                           httpClient: .shared)
/// let verifier = BankIDClient.makeCodeVerifier()
/// let url = try await bankID.authorizationURL(state: BankIDClient.makeState(), nonce: nonce,
///                                             codeChallenge: BankIDClient.codeChallenge(for: verifier))
/// // … the person comes back to the callback with ?code=…&state=…
/// let identity = try await bankID.exchange(code: code, codeVerifier: verifier, expectedNonce: nonce)
/// ```
/// Calls go through `ResilientHTTPClient` (timeout, circuit breaker; GETs retried, the token POST
/// never, since a code works once). The discovery document and JWKS are cached; an ID token
/// with an unknown `kid` makes the client fetch the JWKS once more (key rotation).
public struct BankIDClient: Sendable {
    public static let providerName = "bankid"

    public let configuration: BankIDClientConfiguration
    let http: ResilientHTTPClient
    let now: @Sendable () -> Date
    let cache = BankIDProviderCache()
    let logger: Logger

    /// - Parameters:
    ///   - httpClient: e.g. `HTTPClient.shared`; the client never shuts it down.
    ///   - breaker: the provider's circuit breaker, shared with whatever else calls BankID.
    ///   - retryPolicy: for the GETs (discovery, JWKS).
    ///   - now: the clock ID token expiry is checked against.
    public init(
        configuration: BankIDClientConfiguration,
        httpClient: HTTPClient,
        breaker: CircuitBreaker = CircuitBreaker(provider: BankIDClient.providerName),
        retryPolicy: RetryPolicy = RetryPolicy(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.providers.bankid")
    ) {
        let http = ResilientHTTPClient(
            provider: Self.providerName, httpClient: httpClient, breaker: breaker, retryPolicy: retryPolicy,
            timeout: configuration.requestTimeout, maxResponseBytes: 512 * 1024, logger: logger
        )
        self.init(configuration: configuration, http: http, now: now, logger: logger)
    }

    /// With a ready resilient client, as the other provider clients take it.
    public init(
        configuration: BankIDClientConfiguration,
        http: ResilientHTTPClient,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.providers.bankid")
    ) {
        self.configuration = configuration
        self.http = http
        self.now = now
        self.logger = logger
    }

    var verifier: BankIDIDTokenVerifier {
        BankIDIDTokenVerifier(
            issuer: configuration.issuer, clientID: configuration.clientID,
            leeway: Double(configuration.clockSkewLeeway.components.seconds), acceptedACRs: configuration.acceptedACRs
        )
    }

    var metadataLifetime: TimeInterval { Double(configuration.metadataLifetime.components.seconds) }
}
