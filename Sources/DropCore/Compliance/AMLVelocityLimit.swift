import Foundation

/// How much activity within a rolling window makes the velocity rule fire.
///
/// Counted: the transfer being created plus earlier transfers (of a counted status) created at most
/// `window` before it. Fires when the count reaches `countThreshold`, or when the sum reaches
/// `sumThreshold` across at least two transfers: one large transfer alone is the large-amount
/// rule's business, not velocity.
public struct AMLVelocityLimit: Sendable, Hashable, Codable {
    /// Seconds.
    public var window: TimeInterval
    public var countThreshold: Int
    /// NOK.
    public var sumThreshold: Money
    public var score: Int

    public init(window: TimeInterval, countThreshold: Int, sumThreshold: Money, score: Int) {
        self.window = window
        self.countThreshold = countThreshold
        self.sumThreshold = sumThreshold
        self.score = score
    }
}
