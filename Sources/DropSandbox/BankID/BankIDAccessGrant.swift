import Foundation

/// What an access token stands for; `userinfo` answers from it.
struct BankIDAccessGrant: Sendable {
    let clientID: String
    let scopes: [String]
    let person: SandboxPerson
    let expiresAt: Date
}
