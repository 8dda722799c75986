import Foundation

/// An AIS consent as the bank keeps it.
struct BankSandboxConsent: Sendable, Codable {
    let id: String
    let bankId: String
    /// The PSU's national identity number: from `PSU-ID` when the TPP sent one, else learnt when
    /// the PSU signs in on the SCA page.
    var psuId: String?
    /// The accounts covered (settled at approval); balances may be read only when `includesBalances`.
    var accountNumbers: [String]
    let includesBalances: Bool
    /// The `access` object as the TPP sent it, echoed on GET.
    let accessJSON: String
    let recurringIndicator: Bool
    /// Inclusive ISO date.
    let validUntil: String
    let frequencyPerDay: Int
    let combinedServiceIndicator: Bool
    var status: BankSandboxConsentStatus
    let createdAt: Date
    var lastActionDate: String
    let redirectURI: String
    let nokRedirectURI: String?
    /// Unattended accesses per calendar day (`YYYY-MM-DD` → count).
    var unattendedAccesses: [String: Int]
}
