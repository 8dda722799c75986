/// How Drop talks to banks' NextGenPSD2 APIs.
public struct OpenBankingConfiguration: Sendable {
    /// Up to, not including, the bank id: `…/sandbox/bank` in development.
    public var baseURL: String
    /// TPP identification, sent as HTTP Basic (the sandbox's stand-in for an eIDAS QWAC).
    public var clientId: String
    public var clientSecret: String
    /// Where banks send the browser after SCA, unless a call names its own.
    public var redirectURI: String
    public var nokRedirectURI: String?
    /// Limit for one attempt.
    public var timeout: Duration

    public init(baseURL: String, clientId: String, clientSecret: String, redirectURI: String, nokRedirectURI: String? = nil, timeout: Duration = .seconds(10)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.nokRedirectURI = nokRedirectURI
        self.timeout = timeout
    }
}
