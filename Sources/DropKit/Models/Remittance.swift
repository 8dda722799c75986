import DropCore
import Foundation

// Corridors, rates, quotes, recipients, limits and transactions.

public enum Rail: String, Codable, Sendable, Hashable {
    case sepa, swift
}

/// `Corridor`: a country Drop sends to, and what a recipient there needs.
public struct Corridor: Codable, Sendable, Hashable {
    public enum AccountFormat: String, Codable, Sendable, Hashable {
        case iban
        case accountAndBIC = "account+bic"
        case ifscAndAccount = "ifsc+account"
        case abaAndAccount = "aba+account"
        case nuban
    }
    public let country: String
    public let currency: String
    public let rail: Rail
    public let accountFormat: AccountFormat
    /// Names of `RecipientInput` fields a recipient in this country must have.
    public let requiredFields: [String]
    public let minAmountMinor: Int64
    public let maxAmountMinor: Int64
    public let estimatedDelivery: String
}

/// `ExchangeRate`: units of `currency` per NOK, as a decimal string (never a Double).
public struct ExchangeRate: Codable, Sendable, Hashable {
    public let currency: String
    public let rate: String
    /// `YYYY-MM-DD`
    public let asOf: String
    public let source: String
    public let stale: Bool
}

/// `QuoteInput`: set exactly one of the amounts (NOK to send, or what the recipient gets).
public struct QuoteInput: Codable, Sendable, Hashable {
    public let country: String
    public let currency: String
    public let sendAmountMinor: Int64?
    public let receiveAmountMinor: Int64?
    public init(country: String, currency: String, sendAmountMinor: Int64? = nil, receiveAmountMinor: Int64? = nil) {
        self.country = country
        self.currency = currency
        self.sendAmountMinor = sendAmountMinor
        self.receiveAmountMinor = receiveAmountMinor
    }
}

/// `Quote`: a price held until `expiresAt`.
public struct Quote: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable, Hashable {
        case open, expired, used
    }
    public let id: String
    public let country: String
    public let send: Money
    public let fee: Money
    public let total: Money
    public let rate: String
    public let receive: Money
    /// `YYYY-MM-DD`
    public let rateAsOf: String
    public let createdAt: Date
    public let expiresAt: Date
    public let status: Status

    /// Whole seconds left at `now`: 0 once the server no longer takes it, by the server's own rule
    /// (`Pricing.priceHolds(until:now:)`, whole Unix seconds: not at `expiresAt`).
    public func secondsLeft(at now: Date) -> Int {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        guard Pricing.priceHolds(until: Int64(expiresAt.timeIntervalSince1970.rounded(.down)), now: nowSeconds) else { return 0 }
        return max(1, Int(expiresAt.timeIntervalSince(now).rounded(.up)))
    }
}

/// `Price`: a quote's numbers for anyone, held for nobody (`GET /v1/prices`).
public struct Price: Codable, Sendable, Hashable {
    public let country: String
    public let send: Money
    public let fee: Money
    public let total: Money
    public let rate: String
    public let receive: Money
    /// `YYYY-MM-DD`
    public let rateAsOf: String
    /// e.g. "1–3 business days"
    public let estimatedDelivery: String
}

public enum Relationship: String, Codable, Sendable, Hashable, CaseIterable {
    case family, friend, `self`, business, other
}

/// Every part is optional, as in the contract: a corridor that needs an address asks for what it
/// needs (Kenya has no post codes), so a recipient without a post code must still be readable.
public struct PostalAddress: Codable, Sendable, Hashable {
    public var street: String?
    public var postCode: String?
    public var city: String?
    public var country: String?
    public init(street: String? = nil, postCode: String? = nil, city: String? = nil, country: String? = nil) {
        self.street = street
        self.postCode = postCode
        self.city = city
        self.country = country
    }
}

/// `RecipientInput` (and, with every field optional, what `RecipientPatch` changes).
public struct RecipientInput: Codable, Sendable, Hashable {
    public var name: String
    public var country: String
    public var currency: String
    public var iban: String?
    public var accountNumber: String?
    public var bic: String?
    public var ifsc: String?
    public var routingNumber: String?
    public var bankName: String?
    public var address: PostalAddress?
    public var relationship: Relationship?

    public init(name: String, country: String, currency: String, iban: String? = nil, accountNumber: String? = nil, bic: String? = nil,
                ifsc: String? = nil, routingNumber: String? = nil, bankName: String? = nil, address: PostalAddress? = nil,
                relationship: Relationship? = nil) {
        self.name = name
        self.country = country
        self.currency = currency
        self.iban = iban
        self.accountNumber = accountNumber
        self.bic = bic
        self.ifsc = ifsc
        self.routingNumber = routingNumber
        self.bankName = bankName
        self.address = address
        self.relationship = relationship
    }
}

/// `RecipientPatch`: only the fields set are changed.
public struct RecipientPatch: Codable, Sendable, Hashable {
    public var name: String?
    public var iban: String?
    public var accountNumber: String?
    public var bic: String?
    public var bankName: String?
    public var address: PostalAddress?
    public var relationship: Relationship?
    public init(name: String? = nil, iban: String? = nil, accountNumber: String? = nil, bic: String? = nil, bankName: String? = nil,
                address: PostalAddress? = nil, relationship: Relationship? = nil) {
        self.name = name
        self.iban = iban
        self.accountNumber = accountNumber
        self.bic = bic
        self.bankName = bankName
        self.address = address
        self.relationship = relationship
    }
}

/// `Recipient`
public struct Recipient: Codable, Sendable, Hashable, Identifiable {
    public let id: String
    public let name: String
    public let country: String
    public let currency: String
    public let iban: String?
    public let accountNumber: String?
    public let bic: String?
    public let ifsc: String?
    public let routingNumber: String?
    public let bankName: String?
    public let address: PostalAddress?
    public let relationship: Relationship?
    public let rail: Rail?
    /// The fingerprint of the payee as shown; send it back in ``RemittanceInput/payeeVersion`` so the
    /// transfer pays this payee or is refused (`RECIPIENT_CHANGED`). Nil from a server before it.
    public let payeeVersion: String?
    /// False for a recipient saved with a name or address its rail can't carry (before payments abroad
    /// had to be in Latin letters): a transfer to it is refused (422, `recipientId` `characters`) until
    /// the ``notPayableField`` is edited in Latin letters, as on their bank account. Nil from a server before it.
    public let payable: Bool?
    /// Why it is not payable (`characters`); nil when payable.
    public let notPayableReason: String?
    /// The field to edit (`name`, `address.street`, `address.postCode`, `address.city`); nil when payable.
    public let notPayableField: String?
    public let createdAt: Date
    public let updatedAt: Date
}

/// `SpendingLimits`: the customer's own limits, the ceiling Drop allows, and what is used and left.
public struct SpendingLimits: Codable, Sendable, Hashable {
    public struct Pair: Codable, Sendable, Hashable {
        public let daily: Money
        public let monthly: Money
    }
    public let daily: Money
    public let monthly: Money
    public let maximum: Pair
    public let used: Pair
    public let remaining: Pair
}

/// `SpendingLimitsInput`
public struct SpendingLimitsInput: Codable, Sendable, Hashable {
    public var daily: Money?
    public var monthly: Money?
    public init(daily: Money? = nil, monthly: Money? = nil) {
        self.daily = daily
        self.monthly = monthly
    }
}

/// A transfer's status (DropCore's state machine, as the API names it).
public enum TransferStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case pendingSCA = "pending_sca"
    case processing, held, completed, failed, cancelled, expired, refunded

    /// Nothing will change any more (a `failed` transfer may still be `refunded`).
    public var isFinal: Bool {
        switch self {
        case .completed, .cancelled, .expired, .refunded: true
        case .failed: true
        case .pendingSCA, .processing, .held: false
        }
    }
}

public enum TransactionKind: String, Codable, Sendable, Hashable {
    case remittance
    case qrPayment = "qr_payment"
}

/// `Transaction`
public struct Transaction: Codable, Sendable, Hashable, Identifiable {
    public struct RecipientRef: Codable, Sendable, Hashable {
        public let id: String?
        public let name: String?
        public let country: String?
    }
    public struct MerchantRef: Codable, Sendable, Hashable {
        public let id: String?
        public let code: String?
        public let name: String?
        public let city: String?
    }
    public struct MoneyReturn: Codable, Sendable, Hashable {
        public enum Status: String, Codable, Sendable, Hashable { case pending, returned }
        public let status: Status
        public let requestedAt: Date
        public let returnedAt: Date?
    }
    public struct HistoryEntry: Codable, Sendable, Hashable {
        public let status: TransferStatus
        public let at: Date
        public let reason: String
    }

    public let id: String
    public let kind: TransactionKind
    public let status: TransferStatus
    public let amount: Money
    public let fee: Money
    public let total: Money
    public let receive: Money?
    public let rate: String?
    public let recipient: RecipientRef?
    public let merchantId: String?
    public let merchant: MerchantRef?
    public let bankAccountId: String?
    public let message: String?
    public let reference: String?
    public let paymentLinkSigned: Bool?
    /// The standing transfer this is one payment of.
    public let standingOrderId: String?
    public let endToEndId: String
    public let scaRedirect: URL?
    public let failureReason: String?
    public let moneyReturn: MoneyReturn?
    /// A QR payment the payer's bank paid after Drop had ended it: the status stays (cancelled, expired
    /// or failed), but the money left the account and the shop has it. Show it as paid, not "nothing taken".
    public let settledAfterEndAt: Date?
    public let createdAt: Date
    public let updatedAt: Date
    public let completedAt: Date?
    public let history: [HistoryEntry]?
}

/// `RemittanceInput`: pay a recipient from a linked account, priced by a quote (or an amount in NOK).
public struct RemittanceInput: Codable, Sendable, Hashable {
    public let recipientId: String
    public let quoteId: String?
    public let amountMinor: Int64?
    public let bankAccountId: String
    public let message: String?
    public let client: AppClient?
    /// The ``Recipient/payeeVersion`` the person was shown: if the recipient was edited since, nothing
    /// is sent and the answer is 409 `RECIPIENT_CHANGED` (show the recipient again).
    public let payeeVersion: String?
    public init(recipientId: String, quoteId: String? = nil, amountMinor: Int64? = nil, bankAccountId: String, message: String? = nil,
                client: AppClient? = .mobile, payeeVersion: String? = nil) {
        self.recipientId = recipientId
        self.quoteId = quoteId
        self.amountMinor = amountMinor
        self.bankAccountId = bankAccountId
        self.message = message
        self.client = client
        self.payeeVersion = payeeVersion
    }
}

/// `TransactionCreated`: open `scaRedirect` (when set) for the bank's approval.
public struct TransactionCreated: Codable, Sendable, Hashable {
    public let transaction: Transaction
    public let scaRedirect: URL?
}

/// The filters of `GET /v1/transactions`.
public struct TransactionFilter: Sendable, Hashable {
    public var status: TransferStatus?
    public var kind: TransactionKind?
    public var limit: Int?
    public var cursor: String?
    public init(status: TransferStatus? = nil, kind: TransactionKind? = nil, limit: Int? = nil, cursor: String? = nil) {
        self.status = status
        self.kind = kind
        self.limit = limit
        self.cursor = cursor
    }
}
