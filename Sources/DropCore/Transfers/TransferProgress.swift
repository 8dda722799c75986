/// The steps a payment goes through, as the tracker on its page shows them: which are done, which
/// one it is at, which are to come, and where it stopped when it ended without arriving.
public struct TransferProgress: Sendable, Hashable {
    public enum Step: String, Sendable, Hashable, CaseIterable, Codable {
        /// The person asked Drop for the payment.
        case ordered
        /// They approved it at their bank.
        case approved
        /// A remittance: the money is on its way to the recipient's bank (the payout partner pays it).
        case onTheWay = "on_the_way"
        /// The recipient (or the shop) has the money.
        case arrived
    }

    public enum State: String, Sendable, Hashable, Codable {
        case done
        case current
        case upcoming
        /// Where an ended payment stopped; nothing after it happens.
        case stopped
    }

    public struct Entry: Sendable, Hashable, Codable {
        public let step: Step
        public let state: State
    }

    public let steps: [Entry]

    /// - Parameters:
    ///   - remittance: a transfer abroad (four steps); a QR payment goes straight to the shop (three).
    ///   - status: where it stands now.
    ///   - wasApproved: whether it ever reached `processing` (its history says so), which tells where an ended payment stopped.
    public init(remittance: Bool, status: TransferStatus, wasApproved: Bool) {
        let all: [Step] = remittance ? [.ordered, .approved, .onTheWay, .arrived] : [.ordered, .approved, .arrived]
        // The first step not yet done.
        let reached: Int
        var ended = false
        switch status {
        case .pendingSCA, .held: reached = 1
        case .processing: reached = 2
        case .completed, .refunded: reached = all.count
        case .failed, .cancelled, .expired:
            reached = wasApproved ? 2 : 1
            ended = true
        }
        steps = all.enumerated().compactMap { index, step in
            if index < reached { return Entry(step: step, state: .done) }
            if index == reached { return Entry(step: step, state: ended ? .stopped : .current) }
            return ended ? nil : Entry(step: step, state: .upcoming)
        }
    }
}
