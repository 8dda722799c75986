/// Where a transfer is in its life (API.md "Transactions").
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

    /// No event moves a transfer out of these states. `completed` is not terminal: it can be refunded.
    public var isTerminal: Bool {
        switch self {
        case .failed, .cancelled, .expired, .refunded: true
        case .pendingSCA, .processing, .held, .completed: false
        }
    }
}
