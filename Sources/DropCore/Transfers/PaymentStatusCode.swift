/// Payment status codes from NextGenPSD2 `transactionStatus` and ISO 20022 pain.002 `TxSts`.
public enum PaymentStatusCode: String, Sendable, Hashable, Codable, CaseIterable {
    case received = "RCVD"
    case pending = "PDNG"
    case acceptedTechnicalValidation = "ACTC"
    case acceptedCustomerProfile = "ACCP"
    case acceptedFundsChecked = "ACFC"
    case acceptedSettlementInProcess = "ACSP"
    case acceptedSettlementCompleted = "ACSC"
    case acceptedCreditSettlementCompleted = "ACCC"
    case acceptedWithChange = "ACWC"
    case acceptedWithoutPosting = "ACWP"
    /// NextGenPSD2: partially authorised, more SCA signers needed; still waiting.
    case partiallyAuthorised = "PATC"
    /// pain.002 group or payment-group status: some transactions accepted, others not; the
    /// transactions' own statuses tell which.
    case partiallyAccepted = "PART"
    case rejected = "RJCT"
    case cancelled = "CANC"
    /// pain.002 transaction status: blocked (e.g. sanctions at a bank on the way).
    case blocked = "BLCK"
    /// Accepted and funds checked, but the initiating party's explicit confirmation is outstanding: still waiting.
    case acceptedFundsCheckedAwaitingConfirmation = "ACFW"
    /// Accepted, and a cheque issued that is not yet deposited or cleared.
    case acceptedChequeIssued = "ACIS"
    /// Released by the debtor's bank and accepted by the clearing.
    case acceptedClearingProcessed = "ACPD"
    /// A request to pay presented to the debtor: still waiting.
    case presented = "PRES"
    /// pain.002 group status since Verification of Payee (EU instant payments regulation, October
    /// 2025): the payee names were checked and matched. Says nothing of any transaction's outcome.
    case payeeVerifiedMatching = "RCVC"
    /// Verification of Payee found names that don't match; the transactions' own statuses tell
    /// what the partner did with them.
    case payeeVerifiedMismatching = "RVCM"
    /// Verification of Payee not yet completed.
    case payeeVerificationNotCompleted = "RVNC"

    /// The transfer event this status means when the user's bank reports it for the NOK leg,
    /// nil when it changes nothing (still waiting).
    ///
    /// Every accepted code means the bank took the authorised payment, i.e. SCA succeeded. Even
    /// ACCC only says the *partner's* account was credited: the recipient is paid when the
    /// partner's own pain.002 says so (`payoutSettled`), never on the bank's word.
    public var bankEvent: TransferEvent? { bankEvent(reason: nil) }

    /// As `bankEvent`, reading the bank's reason for a rejection (ISO 20022 status reason codes):
    /// the customer stopping it (`MS02`, `DS02`, `CUST`) is a cancellation, `AM04` is "not enough
    /// money", anything else a rejection.
    public func bankEvent(reason: String?) -> TransferEvent? {
        if self == .rejected, let reason = reason?.uppercased() {
            if Self.customerStopped.contains(reason) { return .scaDenied }
            if reason == "AM04" { return .insufficientFunds }
        }
        return switch self {
        case .received, .pending, .partiallyAuthorised, .partiallyAccepted, .acceptedFundsCheckedAwaitingConfirmation, .presented,
             .payeeVerifiedMatching, .payeeVerifiedMismatching, .payeeVerificationNotCompleted: nil
        case .acceptedTechnicalValidation, .acceptedCustomerProfile, .acceptedFundsChecked,
             .acceptedSettlementInProcess, .acceptedSettlementCompleted, .acceptedCreditSettlementCompleted,
             .acceptedWithChange, .acceptedWithoutPosting, .acceptedChequeIssued, .acceptedClearingProcessed: .scaApproved
        case .rejected, .blocked: .bankRejected
        case .cancelled: .cancelledByBank
        }
    }

    /// Reason codes that mean the customer stopped the payment: not specified by the customer,
    /// order cancelled, requested by the customer.
    static let customerStopped: Set<String> = ["MS02", "DS02", "CUST"]

    /// The event when the payout partner reports this in pain.002 for the payout to the recipient.
    /// ACCC (creditor credited) is settlement; the other accepted codes are progress.
    public var payoutEvent: TransferEvent? {
        switch self {
        case .acceptedCreditSettlementCompleted: .payoutSettled
        case .rejected, .cancelled, .blocked: .payoutFailed
        default: nil
        }
    }
}
