import DropCore

/// An account as NextGenPSD2 references it.
public enum OpenBankingAccountReference: Sendable, Hashable {
    case iban(String)
    /// For Norwegian accounts, the 11-digit account number.
    case bban(String)

    var json: [String: String] {
        switch self {
        case .iban(let value): ["iban": value]
        case .bban(let value): ["bban": value]
        }
    }
}

public enum OpenBankingPaymentProduct: String, Sendable, Hashable, CaseIterable {
    case norwegianDomesticCreditTransfers = "norwegian-domestic-credit-transfers"
    case sepaCreditTransfers = "sepa-credit-transfers"
    case crossBorderCreditTransfers = "cross-border-credit-transfers"
}

/// A payment Drop asks the user's bank to make.
public struct OpenBankingPayment: Sendable, Hashable {
    public var debtorAccount: OpenBankingAccountReference
    public var amount: Money
    public var creditorAccount: OpenBankingAccountReference
    /// At most 70 characters.
    public var creditorName: String
    /// At most 35 characters; Drop's transaction end-to-end id.
    public var endToEndIdentification: String?
    /// At most 140 characters.
    public var remittanceInformationUnstructured: String?

    public init(
        debtorAccount: OpenBankingAccountReference, amount: Money, creditorAccount: OpenBankingAccountReference,
        creditorName: String, endToEndIdentification: String? = nil, remittanceInformationUnstructured: String? = nil
    ) {
        self.debtorAccount = debtorAccount
        self.amount = amount
        self.creditorAccount = creditorAccount
        self.creditorName = creditorName
        self.endToEndIdentification = endToEndIdentification
        self.remittanceInformationUnstructured = remittanceInformationUnstructured
    }
}

/// A consent or payment just created: its id, status and where the user approves it.
public struct OpenBankingAuthorisationStart: Sendable, Hashable {
    public let id: String
    /// `consentStatus` or `transactionStatus` as the bank sent it.
    public let status: String
    public let scaRedirect: String

    public init(id: String, status: String, scaRedirect: String) {
        self.id = id
        self.status = status
        self.scaRedirect = scaRedirect
    }
}

public struct OpenBankingAccount: Sendable, Hashable {
    public let resourceId: String
    public let iban: String?
    public let bban: String?
    public let currency: String
    public let name: String?
    public let product: String?
    /// The `interimAvailable` balance when the bank sent one.
    public let balance: Money?

    public init(resourceId: String, iban: String?, bban: String?, currency: String, name: String?, product: String?, balance: Money?) {
        self.resourceId = resourceId
        self.iban = iban
        self.bban = bban
        self.currency = currency
        self.name = name
        self.product = product
        self.balance = balance
    }
}

public struct OpenBankingPaymentStatus: Sendable, Hashable {
    /// ISO 20022 status: RCVD, ACTC, ACSC, ACCC, RJCT, CANC, …
    public let transactionStatus: String
    public let fundsAvailable: Bool?
    /// The bank's ISO 20022 reason for a rejection (`statusReasonInformation`, e.g. `AM04`), when it gives one.
    public let statusReason: String?

    public init(transactionStatus: String, fundsAvailable: Bool?, statusReason: String? = nil) {
        self.transactionStatus = transactionStatus
        self.fundsAvailable = fundsAvailable
        self.statusReason = statusReason
    }

    /// A reason code as ISO 20022 writes them (four letters or digits); anything else is not one.
    public static func reasonCode(_ text: String) -> String? {
        text.count == 4 && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            ? text.uppercased() : nil
    }

    /// The bank has debited the payer (or credited the payee).
    public var isSettled: Bool { ["ACSC", "ACCC", "ACCP", "ACSP"].contains(transactionStatus) }
    public var isFailed: Bool { ["RJCT", "CANC"].contains(transactionStatus) }
}
