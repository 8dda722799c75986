/// Where a transfer is in its life (docs/api.md, "Transaction statuses").
public enum TransferStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created; waiting for the user to approve the payment in their bank.
    case pendingSCA = "pending_sca"
    /// Approved; the bank pays the partner, the partner pays the recipient.
    case processing
    /// Stopped for AML review before the user is asked to approve.
    case held
    case completed
    case failed
    case cancelled
    case expired
    case refunded

    /// Nothing the user or the bank does moves a transfer out of these states. `completed` is not
    /// terminal: it can be refunded; a `failed` payout is followed only by the partner returning
    /// the money (`refundedByPartner`), which is bookkeeping of what already happened.
    public var isTerminal: Bool {
        switch self {
        case .failed, .cancelled, .expired, .refunded: true
        case .pendingSCA, .processing, .held, .completed: false
        }
    }
}
