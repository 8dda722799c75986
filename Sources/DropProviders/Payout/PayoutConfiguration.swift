/// How Drop reaches its payout partner: base URL and the client credentials it was issued.
public struct PayoutConfiguration: Sendable {
    /// Up to, not including, `/v1`: e.g. `http://127.0.0.1:8080/sandbox/payout` in development.
    public var baseURL: String
    /// Sent as HTTP Basic on every call.
    public var clientId: String
    public var clientSecret: String
    /// Limit for one attempt.
    public var timeout: Duration

    public init(baseURL: String, clientId: String, clientSecret: String, timeout: Duration = .seconds(10)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.timeout = timeout
    }
}
