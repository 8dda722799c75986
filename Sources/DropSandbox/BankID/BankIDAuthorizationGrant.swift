import Foundation

/// What an authorization code stands for: who signed in, for which client, and the values the
/// token request must match.
struct BankIDAuthorizationGrant: Sendable {
    let clientID: String
    let redirectURI: String
    let scopes: [String]
    let nonce: String
    let codeChallenge: String
    let person: SandboxPerson
    let authenticatedAt: Date
    /// The level the person signed in at (`acr`).
    let assurance: BankIDAssuranceLevel
    let expiresAt: Date
}
