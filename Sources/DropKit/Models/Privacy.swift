import Foundation

// Notifications, GDPR (export, erasure, requests) and complaints.

/// `Notification`
public struct DropNotification: Codable, Sendable, Hashable, Identifiable {
    public let id: String
    public let kind: String
    public let title: String
    public let body: String
    public let data: [String: String]?
    public let createdAt: Date
    public let read: Bool
    public let readAt: Date?
}

/// `NotificationList`
public struct NotificationList: Codable, Sendable, Hashable {
    public let items: [DropNotification]
    public let nextCursor: String?
    public let unreadCount: Int
}

/// `DataExport`: everything Drop holds about the customer (GDPR art. 15 and 20).
public struct DataExport: Codable, Sendable, Hashable {
    public struct KYC: Codable, Sendable, Hashable {
        public let status: String
        public let provider: String
        public let applicantId: String?
    }
    public let exportedAt: Date
    public let profile: User
    public let settings: [String: String]?
    public let spendingLimits: JSONValue?
    public let consents: [JSONValue]
    public let kyc: KYC
    public let sessions: [JSONValue]
    public let bankConsents: [JSONValue]
    public let bankAccounts: [JSONValue]
    public let recipients: [JSONValue]
    public let transactions: [Transaction]
    public let standingOrders: [StandingOrder]
    public let notifications: [DropNotification]
    public let dataAccessRequests: [DataAccessRequest]
    public let complaints: [Complaint]
    /// The business they registered, if any.
    public let merchant: Merchant?
    public let knownDevices: [JSONValue]
    public let trackingLinks: [JSONValue]
    /// The IP address each transfer (`transactionId`) and standing transfer (`standingOrderId`) was asked for from (`ipAddress`).
    public let ipAddresses: [JSONValue]?
}

/// `ErasureReceipt`: the account is gone; what the law makes Drop keep, and until when.
public struct ErasureReceipt: Codable, Sendable, Hashable {
    public let requestId: String
    public let status: String
    public let erasedAt: Date
    public let retainedUntil: Date
    public let retained: [String]
}

public enum DataRequestKind: String, Codable, Sendable, Hashable, CaseIterable {
    case access, erasure, rectification, restriction, objection
}

/// `DataAccessRequestInput` (`erasure` goes through `eraseAccount()` instead).
public struct DataAccessRequestInput: Codable, Sendable, Hashable {
    public let kind: DataRequestKind
    public let details: String?
    public init(kind: DataRequestKind, details: String? = nil) {
        self.kind = kind
        self.details = details
    }
}

/// `DataAccessRequest`
public struct DataAccessRequest: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable, Hashable { case open, completed, rejected }
    public let id: String
    public let kind: DataRequestKind
    public let status: Status
    public let details: String?
    public let createdAt: Date
    public let dueAt: Date
    /// `YYYY-MM-DD`
    public let dueDate: String
    public let completedAt: Date?
}

/// `ComplaintInput`
public struct ComplaintInput: Codable, Sendable, Hashable {
    public let subject: String
    public let description: String
    public let transactionId: String?
    public init(subject: String, description: String, transactionId: String? = nil) {
        self.subject = subject
        self.description = description
        self.transactionId = transactionId
    }
}

/// `Complaint`
public struct Complaint: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable, Hashable {
        case open
        case inProgress = "in_progress"
        case resolved, rejected
    }
    public let id: String
    public let transactionId: String?
    public let subject: String
    public let description: String
    public let status: Status
    public let createdAt: Date
    public let dueAt: Date
    /// `YYYY-MM-DD`
    public let dueDate: String
    public let resolvedAt: Date?
    public let resolution: String?
}
