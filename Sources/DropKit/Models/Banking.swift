import Foundation

// Banks, linked accounts and balances (AIS).

/// `Bank`
public struct Bank: Codable, Sendable, Hashable, Identifiable {
    public let id: String
    public let name: String
    public let bic: String
    public let country: String
}

public enum AppClient: String, Codable, Sendable, Hashable {
    case web, mobile
}

/// `BankConnectInput`. `client: .mobile` makes the bank's return a `drop://bank-accounts/callback` link.
public struct BankConnectInput: Codable, Sendable, Hashable {
    public let bank: String
    public let client: AppClient?
    public init(bank: String, client: AppClient? = .mobile) {
        self.bank = bank
        self.client = client
    }
}

/// `BankConnectStarted`: open `scaRedirect` in the system browser.
public struct BankConnectStarted: Codable, Sendable, Hashable {
    public let consentId: String
    public let scaRedirect: URL
}

/// `BankAccount`
public struct BankAccount: Codable, Sendable, Hashable, Identifiable {
    public struct BankRef: Codable, Sendable, Hashable {
        public let id: String
        public let name: String
    }
    public enum Status: String, Codable, Sendable, Hashable {
        /// `reconnect`: the bank's consent lapsed; link the bank again.
        case active, reconnect
    }
    public let id: String
    public let bank: BankRef
    public let name: String?
    public let iban: String?
    public let bban: String?
    public let currency: String
    public let balance: Money?
    public let balanceSyncedAt: Date?
    public let stale: Bool
    public let status: Status
}

/// `Balance`: the sum over the linked accounts.
public struct Balance: Codable, Sendable, Hashable {
    /// Nil when the banks' balances don't add up to an amount the server can show.
    public let total: Money?
    public let accounts: [BankAccount]
    public let stale: Bool
    public let syncedAt: Date?
}
