/// A payment's status as the sandboxes answer it: the ISO 20022 transaction status code
/// (ExternalPaymentTransactionStatus1Code), which NextGenPSD2 banks send as `transactionStatus` and
/// the payout partner as pain.002's `TxSts`. Stored and sent as that code.
enum ISO20022TransactionStatus: String, Sendable, Codable {
    /// Received; at a bank, waiting for the PSU's approval on the SCA page.
    case received = "RCVD"
    /// Accepted by the payout partner, not yet settled.
    case pending = "PDNG"
    /// Approved and accepted for execution (a standing order: being executed on its days).
    case accepted = "ACTC"
    /// Settled on the debtor's side (the PSU's account debited; the payout partner paid out).
    case settled = "ACSC"
    /// Credited to the creditor too.
    case credited = "ACCC"
    /// Refused: see the reason code (`AM04` no money, `MS02` PSU said no, `AB05` SCA timed out, `AC01` a wrong account).
    case rejected = "RJCT"
    /// Cancelled by the TPP before approval, or a standing order cancelled.
    case cancelled = "CANC"

    /// The money left the debtor's account.
    var isExecuted: Bool { self == .settled || self == .credited }
}

/// An AIS consent's status as the bank answers it in NextGenPSD2.
enum BankSandboxConsentStatus: String, Sendable, Codable {
    case received
    case valid
    case rejected
    case expired
    case revokedByPsu
    case terminatedByTpp
}
