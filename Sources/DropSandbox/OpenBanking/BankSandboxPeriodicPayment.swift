import Foundation

/// A standing order (NextGenPSD2 periodic payment) as the bank keeps it: the terms the PSU
/// approved once, and each execution the bank has made on its own clock since.
struct BankSandboxPeriodicPayment: Sendable, Codable {
    let id: String
    let bankId: String
    let product: String
    let psuId: String
    let debtorAccountNumber: String
    let creditorAccount: String
    let creditorAccountIsIBAN: Bool
    let creditorName: String
    let amountMinorUnits: Int64
    let currency: String
    let debitMinorUnits: Int64
    let remittanceInformationUnstructured: String?
    /// `YYYY-MM-DD`, Oslo days.
    let startDate: String
    let endDate: String?
    /// The BG code: Weekly, EveryTwoWeeks, Monthly, Quarterly.
    let frequency: String
    let dayOfExecution: Int
    /// RCVD until approved; ACTC while the bank executes it; RJCT or CANC when it no longer does.
    var status: ISO20022TransactionStatus
    var reasonCode: String?
    let createdAt: Date
    let redirectURI: String
    let nokRedirectURI: String?
    let requestId: String?
    var executions: [Execution] = []

    /// One payment the standing order made: its own end-to-end id (the bank's, per credit
    /// transfer) and whether the debtor's money was there.
    struct Execution: Sendable, Codable {
        let id: String
        /// The payment day it was due on (`YYYY-MM-DD`).
        let executionDate: String
        let endToEndIdentification: String
        /// ACSC (debited, credited on) or RJCT (reason AM04: not enough money).
        let status: ISO20022TransactionStatus
        let reasonCode: String?
        let bookedAt: Date
    }

    var awaitsSCA: Bool { status == .received }

    func isSameOrder(as other: BankSandboxPeriodicPayment) -> Bool {
        bankId == other.bankId && product == other.product && debtorAccountNumber == other.debtorAccountNumber
            && creditorAccount == other.creditorAccount && amountMinorUnits == other.amountMinorUnits && currency == other.currency
            && startDate == other.startDate && endDate == other.endDate && frequency == other.frequency && dayOfExecution == other.dayOfExecution
    }

    /// The JSON a status read, a details read and the webhook show of one execution.
    func json(_ execution: Execution) -> [String: Any] {
        var object: [String: Any] = [
            "executionId": execution.id, "executionDate": execution.executionDate,
            "endToEndIdentification": execution.endToEndIdentification, "transactionStatus": execution.status.rawValue,
            "instructedAmount": ["currency": currency, "amount": BankSandboxPIS.decimal(amountMinorUnits, currency)],
        ]
        if let reason = execution.reasonCode { object["statusReasonInformation"] = reason }
        return object
    }
}
