import Foundation

/// An AIS consent as the bank keeps it.
struct BankSandboxConsent: Sendable, Codable {
    let id: String
    let bankId: String
    let psuId: String
    /// The accounts covered; balances may be read only when `includesBalances`.
    let accountNumbers: [String]
    let includesBalances: Bool
    /// The `access` object as the TPP sent it, echoed on GET.
    let accessJSON: String
    let recurringIndicator: Bool
    /// Inclusive ISO date.
    let validUntil: String
    let frequencyPerDay: Int
    let combinedServiceIndicator: Bool
    var status: String
    let createdAt: Date
    var lastActionDate: String
    let redirectURI: String
    let nokRedirectURI: String?
    /// Unattended accesses per calendar day (`YYYY-MM-DD` → count).
    var unattendedAccesses: [String: Int]
}
