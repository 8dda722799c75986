/// What transfer creation does after the AML rules have run, from mildest to strictest.
///
/// `Comparable` in that order, so the strictest of several outcomes is their `max()`.
public enum AMLDecision: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Nothing to look at: initiate the payment.
    case clear
    /// Initiate the payment, and put an alert in the admins' queue (`aml_alerts`).
    case alert
    /// Create the transfer, move it to `held` (`TransferEvent.amlHeld`) and raise an alert; no payment
    /// initiation until an admin releases it (`amlReleased`) or rejects it (`amlRejected`).
    case hold
    /// Refuse the transfer outright (sanctioned customer) and raise an alert: no payment at all.
    case block

    /// Whether an admin must see this transfer.
    public var raisesAlert: Bool { self != .clear }

    /// Whether the payment may be initiated right after creation.
    public var allowsPaymentInitiation: Bool { self == .clear || self == .alert }

    public static func < (lhs: AMLDecision, rhs: AMLDecision) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .clear: 0
        case .alert: 1
        case .hold: 2
        case .block: 3
        }
    }
}
