/// A relying party registered at the BankID sandbox, as a BankID merchant agreement would register it.
public struct BankIDSandboxClient: Sendable, CustomStringConvertible {
    public let clientID: String
    public let clientSecret: String
    /// Where the sandbox may send people back; compared exactly, as OpenID Connect requires.
    public let redirectURIs: [String]
    /// Shown on the sign-in page ("Signing in to …").
    public let displayName: String

    public init(clientID: String, clientSecret: String, redirectURIs: [String], displayName: String? = nil) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURIs = redirectURIs
        self.displayName = displayName ?? clientID
    }

    /// Leaves the secret out of logs.
    public var description: String {
        "BankIDSandboxClient(clientID: \(clientID), redirectURIs: \(redirectURIs))"
    }
}
