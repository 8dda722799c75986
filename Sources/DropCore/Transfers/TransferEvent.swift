/// Something that happened to a transfer.
public enum TransferEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// The user approved the payment in their bank (or the bank reports it accepted).
    case scaApproved
    /// The person stopped the payment at their bank's approval page (the bank rejects it with a
    /// reason saying the customer did, e.g. ISO `MS02`).
    case scaDenied
    /// The user never finished SCA within the quote's lifetime.
    case scaTimedOut
    case cancelledByUser
    /// The bank cancelled the payment (ISO `CANC`).
    case cancelledByBank
    case amlHeld
    case amlReleased
    case amlRejected
    case payoutSettled
    case payoutFailed
    /// The bank refused the payment (ISO `RJCT`).
    case bankRejected
    /// The bank refused the payment for want of money in the account (`RJCT`, reason `AM04`).
    case insufficientFunds
    case refundedByPartner
    /// Drop could not get the user's bank to take the payment (down, or it refused the request):
    /// nothing was authorised, so nothing moved.
    case initiationFailed
    /// A standing transfer's execution the bank made that Drop can't send on (over a limit, the
    /// order stopped meanwhile, the price not matching): the NOK is returned to the person.
    case executionRefused
    /// Compliance released a held transfer whose money had already left the person's account (a
    /// standing transfer's execution): it goes on to payout, with no second approval at the bank.
    case amlReleasedAfterPayment
    /// The business a payment waiting for approval is to can no longer take payments (its owner
    /// was rejected at the identity check, sanctioned or erased): Drop cancelled it at the bank.
    case payeeUnavailable
    /// The payer can no longer pay (their identity check is no longer approved, or they are
    /// sanctioned): a payment waiting for their approval was cancelled at the bank by Drop. The
    /// reason shown never says why (no tipping-off).
    case payerUnavailable
    /// Compliance released a QR payment held for review after the shop's one-purchase code had
    /// expired: it ends without the bank being asked (the shop will have been paid another way).
    case paymentLinkExpired
}
