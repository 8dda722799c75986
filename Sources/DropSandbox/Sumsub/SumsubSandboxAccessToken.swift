import Foundation

/// A WebSDK access token the sandbox issued: for one external user id and level, until `expiresAt`.
struct SumsubSandboxAccessToken: Codable, Sendable {
    let token: String
    let userId: String
    let levelName: String
    let expiresAt: Date

    func isValid(at date: Date) -> Bool { date < expiresAt }
}
