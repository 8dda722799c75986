/// How Drop is registered at the OpenID provider, and how patient it is with it.
public struct BankIDClientConfiguration: Sendable, CustomStringConvertible {
    /// e.g. `https://auth.bankid.no/auth/realms/prod`, or `http://127.0.0.1:8080/sandbox/bankid`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// Drop's callback, registered at the provider: `<public base URL>/v1/auth/bankid/callback`.
    public var redirectURI: String
    public var scope: String
    /// The level of assurance asked for (`acr_values`), and the `acr` an ID token must carry: BankID's
    /// high level, LoA4 (docs/protocols.md §3). The request passes through the person's browser, which
    /// could ask for a lower one, so the token's `acr` is what counts.
    public var acrValues: String
    public var acceptedACRs: Set<String>
    /// Allowed clock difference when checking `exp`, `iat` and `nbf`.
    public var clockSkewLeeway: Duration
    /// Limit for one HTTP call to the provider, from connecting to the last body byte.
    public var requestTimeout: Duration
    /// How long the discovery document and JWKS are reused before being fetched again
    /// (an unknown `kid` refetches the JWKS at once).
    public var metadataLifetime: Duration

    public static let defaultScope = "openid profile nnin_altsub"
    /// BankID (the person's code device or app), not BankID biometrics (`urn:bankid:bis`, LoA3).
    public static let defaultACRValues = "urn:bankid:bid"
    public static let defaultAcceptedACRs: Set<String> = ["urn:bankid:bid;LOA=4"]

    public init(
        issuer: String, clientID: String, clientSecret: String, redirectURI: String,
        scope: String = BankIDClientConfiguration.defaultScope,
        acrValues: String = BankIDClientConfiguration.defaultACRValues,
        acceptedACRs: Set<String> = BankIDClientConfiguration.defaultAcceptedACRs,
        clockSkewLeeway: Duration = .seconds(60),
        requestTimeout: Duration = .seconds(10),
        metadataLifetime: Duration = .seconds(3600)
    ) {
        var trimmed = issuer
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.issuer = trimmed
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.scope = scope
        self.acrValues = acrValues
        self.acceptedACRs = acceptedACRs
        self.clockSkewLeeway = clockSkewLeeway
        self.requestTimeout = requestTimeout
        self.metadataLifetime = metadataLifetime
    }

    /// Leaves the secret out of logs.
    public var description: String {
        "BankIDClientConfiguration(issuer: \(issuer), clientID: \(clientID), redirectURI: \(redirectURI))"
    }
}
