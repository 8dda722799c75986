import Foundation

/// A payment initiation as the bank keeps it.
struct BankSandboxPayment: Sendable, Codable {
    let id: String
    let bankId: String
    let product: String
    let psuId: String
    let debtorAccountNumber: String
    /// The creditor account as sent: an IBAN or a BBAN.
    let creditorAccount: String
    let creditorAccountIsIBAN: Bool
    let creditorName: String
    let amountMinorUnits: Int64
    let currency: String
    /// What leaves the debtor's NOK account (converted for foreign-currency payments).
    let debitMinorUnits: Int64
    let endToEndIdentification: String?
    let remittanceInformationUnstructured: String?
    var status: ISO20022TransactionStatus
    var reasonCode: String?
    var fundsAvailable: Bool?
    let createdAt: Date
    let redirectURI: String
    let nokRedirectURI: String?
    /// The TPP's `X-Request-ID` that created it: a repeat of that request is answered with this
    /// payment, as ASPSPs make payment initiation idempotent. Nil in state files from before.
    var requestId: String? = nil

    /// Whether a repeated request asks for this same payment (a different one under a reused
    /// request id is refused).
    func isSamePayment(as other: BankSandboxPayment) -> Bool {
        bankId == other.bankId && product == other.product && debtorAccountNumber == other.debtorAccountNumber
            && creditorAccount == other.creditorAccount && amountMinorUnits == other.amountMinorUnits && currency == other.currency
            && endToEndIdentification == other.endToEndIdentification
    }

    /// Still waiting for the PSU's approval at the SCA page.
    var awaitsSCA: Bool { status == .received }
}
