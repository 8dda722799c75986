/// What a status report from the user's bank does to a transfer.
public enum BankStatusUpdate: Sendable, Hashable {
    /// Nothing to record: still waiting, or progress the transfer has already moved past.
    case unchanged
    case moved(TransferTransition)
    /// The report contradicts the transfer's state (e.g. `RJCT` after completion); worth an alert.
    case illegal(IllegalTransition)
}

extension TransferStatus {
    /// Applies a NextGenPSD2 `transactionStatus` from the user's bank.
    ///
    /// Banks report every step (ACTC, then ACSP, then ACSC …) and webhooks repeat, so an
    /// "accepted" code once the transfer is already past SCA is progress, not an error.
    /// `reason` is the bank's status reason code, when it gave one (a rejection's why).
    /// `approvalWindowClosed`: the payer's time to approve is over. A plain rejection of a payment
    /// still waiting for approval then means nobody approved it in time (banks reject those, with
    /// no standard reason code): the transfer expires, it hasn't failed. So does a cancellation:
    /// past the window it is Drop's expiry cancelling at the bank, whose report may arrive before
    /// Drop writes the expiry itself, and the customer must read "not approved in time" either way.
    public func applying(bankStatus code: PaymentStatusCode, reason: String? = nil, approvalWindowClosed: Bool = false) -> BankStatusUpdate {
        guard var event = code.bankEvent(reason: reason) else { return .unchanged }
        if event == .bankRejected || event == .cancelledByBank, self == .pendingSCA, approvalWindowClosed { event = .scaTimedOut }
        if event == .scaApproved, self == .processing || self == .completed || self == .refunded { return .unchanged }
        switch TransferStatus.transition(from: self, on: event) {
        case let .success(transition): return .moved(transition)
        case let .failure(illegal): return .illegal(illegal)
        }
    }
}
