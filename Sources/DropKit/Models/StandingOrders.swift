import Foundation

// Standing transfers: the same NOK amount to the same person on a schedule, approved once at the bank.

public enum StandingOrderFrequency: String, Codable, Sendable, Hashable, CaseIterable {
    case weekly, everyTwoWeeks = "every_two_weeks", monthly, quarterly
}

public enum StandingOrderStatus: String, Codable, Sendable, Hashable {
    case pendingSCA = "pending_sca", active, paused, stopped, rejected, ended, replaced
}

/// `StandingOrder`: the NOK amount is fixed; what the recipient gets is each payment day's price.
public struct StandingOrder: Codable, Sendable, Hashable, Identifiable {
    public struct RecipientRef: Codable, Sendable, Hashable {
        public let id: String
        public let name: String
        public let country: String
    }

    public struct Payment: Codable, Sendable, Hashable {
        public let transactionId: String
        public let status: TransferStatus
        public let total: Money
        public let receive: Money?
        public let createdAt: Date
    }

    public let id: String
    public let status: StandingOrderStatus
    public let amount: Money
    public let fee: Money
    /// What leaves the account on each payment day.
    public let total: Money
    public let receiveCurrency: String
    public let frequency: StandingOrderFrequency
    public let dayOfExecution: Int
    public let startDate: String
    public let endDate: String?
    public let nextPaymentDate: String?
    public let recipient: RecipientRef?
    public let bankAccountId: String
    public let message: String?
    public let stopReason: String?
    public let replacesId: String?
    /// Open it in the system browser while `status` is `pending_sca`.
    public let scaRedirect: String?
    public let createdAt: Date
    /// Only on a single order's read.
    public let payments: [Payment]?
}

/// `POST /v1/standing-orders`.
public struct NewStandingOrder: Codable, Sendable, Hashable {
    public var recipientId: String
    public var bankAccountId: String
    public var amountMinor: Int64
    public var frequency: StandingOrderFrequency
    /// `YYYY-MM-DD`, today or later.
    public var startDate: String
    public var endDate: String?
    public var dayOfExecution: Int?
    public var message: String?
    public var client: String

    public init(recipientId: String, bankAccountId: String, amountMinor: Int64, frequency: StandingOrderFrequency, startDate: String,
                endDate: String? = nil, dayOfExecution: Int? = nil, message: String? = nil) {
        self.recipientId = recipientId
        self.bankAccountId = bankAccountId
        self.amountMinor = amountMinor
        self.frequency = frequency
        self.startDate = startDate
        self.endDate = endDate
        self.dayOfExecution = dayOfExecution
        self.message = message
        self.client = "mobile"
    }
}

/// `POST /v1/standing-orders/{id}/replace`: what changes (nil keeps it). Empty resumes a paused order.
public struct StandingOrderChange: Codable, Sendable, Hashable {
    public var amountMinor: Int64?
    public var frequency: StandingOrderFrequency?
    public var startDate: String?
    public var endDate: String?
    public var dayOfExecution: Int?
    public var client: String

    public init(amountMinor: Int64? = nil, frequency: StandingOrderFrequency? = nil, startDate: String? = nil, endDate: String? = nil,
                dayOfExecution: Int? = nil) {
        self.amountMinor = amountMinor
        self.frequency = frequency
        self.startDate = startDate
        self.endDate = endDate
        self.dayOfExecution = dayOfExecution
        self.client = "mobile"
    }
}

/// The 201 of a new or replacing order: open `scaRedirect` to approve it at the bank.
public struct StandingOrderStarted: Codable, Sendable, Hashable {
    public let standingOrder: StandingOrder
    public let scaRedirect: String?
}

public struct StandingOrderList: Codable, Sendable, Hashable {
    public let items: [StandingOrder]
}
