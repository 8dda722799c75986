/// A legal move of a transfer from one status to another, with why, for the history (the `reason` of a transaction's `history`).
public struct TransferTransition: Sendable, Hashable {
    public let from: TransferStatus
    public let to: TransferStatus
    public let event: TransferEvent
    /// A human sentence for the transaction history.
    public let reason: String
}

/// An event that cannot happen in the transfer's current status.
public struct IllegalTransition: Error, Sendable, Hashable, CustomStringConvertible {
    public let from: TransferStatus
    public let event: TransferEvent

    public var description: String { "\(event.rawValue) is not allowed in status \(from.rawValue)." }
}

extension TransferStatus {
    /// The status after `event`, or why it cannot happen. The whole table is here, in one switch,
    /// so every legal move is visible at once; anything not listed is illegal.
    public static func transition(from status: TransferStatus, on event: TransferEvent) -> Result<TransferTransition, IllegalTransition> {
        let move: (TransferStatus, String)? = switch (status, event) {
        case (.pendingSCA, .scaApproved): (.processing, "Approved in the bank; the payment is on its way.")
        // Stopping at the bank is the person's choice, not a failure: cancelled, and no money moved.
        case (.pendingSCA, .scaDenied): (.cancelled, "You stopped the payment at your bank. No money has moved.")
        case (.pendingSCA, .insufficientFunds): (.failed, "There was not enough money in the account. No money has moved.")
        case (.pendingSCA, .bankRejected): (.failed, "The bank rejected the payment.")
        case (.pendingSCA, .scaTimedOut): (.expired, "The payment was not approved in time.")
        case (.pendingSCA, .cancelledByUser): (.cancelled, "Cancelled before approval.")
        case (.pendingSCA, .cancelledByBank): (.cancelled, "The bank cancelled the payment before it was made.")
        case (.pendingSCA, .initiationFailed): (.failed, "Your bank could not take the payment. No money has moved.")
        case (.pendingSCA, .payeeUnavailable): (.cancelled, "The shop can no longer take payments, so the payment was cancelled. No money has moved.")
        case (.pendingSCA, .payerUnavailable): (.cancelled, "The payment was cancelled before it was approved. No money has moved.")
        // The customer reads these: they never name compliance (no tipping-off, hvitvaskingsloven § 31).
        case (.pendingSCA, .amlHeld): (.held, "Held for a routine review.")
        case (.held, .amlReleased): (.pendingSCA, "Review passed; waiting for approval in the bank.")
        case (.pendingSCA, .executionRefused): (.failed, "Drop could not send this payment on. The money is being returned to your account.")
        case (.held, .amlReleasedAfterPayment): (.processing, "Review passed; the payment is on its way.")
        case (.held, .amlRejected): (.failed, "The payment could not be made.")
        case (.held, .paymentLinkExpired): (.expired, "The shop's payment code expired before the check was done, so nothing was paid. No money has moved.")
        // A payer who lost their standing after approving: held before the payout for compliance to decide.
        case (.processing, .amlHeld): (.held, "Held for a routine review.")
        case (.processing, .payoutSettled): (.completed, "The recipient has been paid.")
        case (.processing, .payoutFailed): (.failed, "The recipient's bank could not accept the payment.")
        case (.processing, .bankRejected): (.failed, "The bank rejected the payment.")
        case (.processing, .insufficientFunds): (.failed, "There was not enough money in the account. No money has moved.")
        case (.processing, .scaDenied): (.cancelled, "The payment was stopped at your bank before it was made.")
        // A cancellation is not a failure: the person sees "cancelled", and no money moved.
        case (.processing, .cancelledByBank): (.cancelled, "The bank cancelled the payment before it was made.")
        case (.failed, .refundedByPartner): (.refunded, "The money was returned to your account by the payout partner.")
        // NOK that reached the partner after the transfer had ended is returned too.
        case (.expired, .refundedByPartner): (.refunded, "The money that arrived after the payment had expired was returned to your account.")
        case (.cancelled, .refundedByPartner): (.refunded, "The money that arrived after the payment was cancelled was returned to your account.")
        case (.completed, .refundedByPartner): (.refunded, "The payment was returned and refunded.")
        default: nil
        }
        guard let (next, reason) = move else { return .failure(IllegalTransition(from: status, event: event)) }
        return .success(TransferTransition(from: status, to: next, event: event, reason: reason))
    }
}
