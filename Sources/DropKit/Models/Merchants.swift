import Foundation

// Shops: registration, QR codes and payments.

/// `MerchantInput`: settle to one of the owner's linked accounts (`settlementBankAccountId`) or an account number.
public struct MerchantInput: Codable, Sendable, Hashable {
    public var organisationNumber: String
    public var name: String
    public var mcc: String
    public var city: String
    public var settlementAccount: String?
    public var settlementBankAccountId: String?
    public init(organisationNumber: String, name: String, mcc: String, city: String, settlementAccount: String? = nil,
                settlementBankAccountId: String? = nil) {
        self.organisationNumber = organisationNumber
        self.name = name
        self.mcc = mcc
        self.city = city
        self.settlementAccount = settlementAccount
        self.settlementBankAccountId = settlementBankAccountId
    }
}

/// `Merchant`: the owner's view of their business.
public struct Merchant: Codable, Sendable, Hashable, Identifiable {
    public let id: String
    public let code: String
    public let organisationNumber: String
    public let name: String
    public let mcc: String
    public let city: String
    public let settlementAccount: String
    /// The owner's identity was checked and they may take payments; the business itself is not
    /// checked against Enhetsregisteret.
    public let verified: Bool
    public let createdAt: Date
}

/// `PublicMerchant`: what a payer sees before paying.
public struct PublicMerchant: Codable, Sendable, Hashable {
    public let code: String
    public let name: String
    public let city: String
    /// The 9 digits; show it beside the name so the payer sees which business this says it is.
    public let organisationNumber: String
    /// The owner's identity was checked with BankID and they may take payments. Not that the business
    /// is theirs (Enhetsregisteret is not asked): never show it as "verified business".
    public let verified: Bool
}

/// `PaymentLink`: what a QR code encodes (static, or with a fixed amount, signed).
public struct PaymentLinkInfo: Codable, Sendable, Hashable {
    public let url: String
    public let code: String
    public let amountMinor: Int64?
    public let reference: String?
    public let expiresAt: Date?
}

/// `QRPaymentInput`: the link's terms exactly as scanned (`DeepLink.PaymentLink`), the amount, the account to pay from.
public struct QRPaymentInput: Codable, Sendable, Hashable {
    public let merchantCode: String
    public let amountMinor: Int64
    public let reference: String?
    public let expiresAt: Int64?
    public let signature: String?
    public let bankAccountId: String
    public let client: AppClient?
    public init(merchantCode: String, amountMinor: Int64, reference: String? = nil, expiresAt: Int64? = nil, signature: String? = nil,
                bankAccountId: String, client: AppClient? = .mobile) {
        self.merchantCode = merchantCode
        self.amountMinor = amountMinor
        self.reference = reference
        self.expiresAt = expiresAt
        self.signature = signature
        self.bankAccountId = bankAccountId
        self.client = client
    }
}

/// `MerchantPayment`: one payment on the merchant's dashboard.
public struct MerchantPayment: Codable, Sendable, Hashable, Identifiable {
    public let id: String
    public let status: TransferStatus
    public let amount: Money
    public let reference: String?
    public let createdAt: Date
    public let completedAt: Date?
    public let payerMessage: String?
    /// When the payer's bank reported it reversed: not to be relied on until Drop confirms.
    public let reversalReportedAt: Date?
    /// When the payer's bank paid it after Drop had ended it (cancelled, expired, failed): the status
    /// stays, but the shop has the money and must not ask for it again.
    public let settledAfterEndAt: Date?

    /// Money the shop has: completed, or paid by the bank after Drop ended it.
    public var received: Bool { status == .completed || settledAfterEndAt != nil }
}

/// `MerchantDashboard`
public struct MerchantDashboard: Codable, Sendable, Hashable {
    public struct Day: Codable, Sendable, Hashable {
        /// `YYYY-MM-DD`
        public let date: String
        public let count: Int
        public let total: Money
    }
    public let from: Date
    public let to: Date
    public let payments: [MerchantPayment]
    public let days: [Day]
    /// Payments completed, or paid by the bank after Drop ended them, and their sum.
    public let count: Int
    public let total: Money
    public let fees: Money
    /// Pass to the live events (`Last-Event-ID`) to continue from this dashboard.
    public let lastEventId: Int64
}

/// `MerchantEvent`: one event of the merchant's live stream.
public struct MerchantEvent: Codable, Sendable, Hashable {
    /// What the event says, from its SSE `event:` name (the data is the payment as it stands either way).
    public enum Kind: String, Sendable, Hashable {
        /// A payment's new status.
        case payment
        /// The payer's bank reported a completed payment reversed: not to be relied on until Drop confirms.
        case reversalReported = "reversal_reported"
        /// The payer's bank paid it after Drop had ended it: the shop has the money; don't ask again.
        case settledAfterEnd = "settled_after_end"
    }

    public let seq: Int64
    public let transactionId: String
    public let status: TransferStatus
    public let amount: Money
    public let reference: String?
    public let at: Date
    public let payerMessage: String?
    /// When the payment was made: the day the dashboard counts it under (the bank may pay or reverse it
    /// days later). Nil from a server older than this field.
    public let createdAt: Date?
    public internal(set) var kind: Kind = .payment

    enum CodingKeys: String, CodingKey { case seq, transactionId, status, amount, reference, at, payerMessage, createdAt }
}
