/// Where a standing transfer stands. Only `active` has a periodic payment at the bank that Drop
/// expects to be executed; every other status has none, or one Drop is cancelling.
public enum StandingOrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Asked of the bank; waiting for the person's one approval there.
    case pendingSCA = "pending_sca"
    case active
    /// The person paused it: the bank's order is cancelled; resuming asks the bank again.
    case paused
    /// Ended for good by the person, or by Drop (a compliance stop).
    case stopped
    /// Not approved at the bank (refused, or the approval window closed).
    case rejected
    /// Its last payment day has passed.
    case ended
    /// A changed or resumed order took its place once that one was approved.
    case replaced

    /// What Drop does about a status change.
    public enum Change: String, Sendable, Hashable {
        case approvedAtBank, refusedAtBank, pause, stop, finished, replaced
    }

    /// The next status, or nil when `change` can't happen now. One table, so every legal move is
    /// visible at once.
    public func applying(_ change: Change) -> StandingOrderStatus? {
        switch (self, change) {
        case (.pendingSCA, .approvedAtBank): .active
        case (.pendingSCA, .refusedAtBank): .rejected
        case (.pendingSCA, .stop): .stopped
        case (.active, .pause): .paused
        case (.active, .stop), (.paused, .stop): .stopped
        case (.active, .finished): .ended
        case (.active, .replaced), (.paused, .replaced): .replaced
        default: nil
        }
    }

    /// Whether the bank may still hold a live periodic payment for it that Drop must cancel.
    public var needsBankCancellation: Bool {
        [.paused, .stopped, .replaced].contains(self)
    }

    /// The order can be changed or resumed (a new one replaces it).
    public var canBeReplaced: Bool { self == .active || self == .paused }
}
