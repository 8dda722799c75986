/// Whether a newly published reference rate is believable enough to store and price with.
///
/// The newest stored rate prices every transfer, so one wrong observation would fix Drop's price:
/// a rate dated in the future stays the newest (and fresh) for good, and a value 100 times off
/// pays out 100 times too much. Such a rate is refused and the one before it kept; operations
/// decide about a currency that really moved that far (docs/operations.md).
public enum RatePlausibility {
    /// The largest move from the previous stored rate taken without a person looking, in percent.
    /// Norges Bank's corridor currencies move a few percent a day at most; a devaluation is rarer.
    public static let maximumMovePercent: UInt64 = 10

    public enum Verdict: Sendable, Hashable {
        case plausible
        /// Dated after today in Oslo: no bank has published it yet.
        case futureDated
        /// More than `maximumMovePercent` away from the previous stored rate.
        case movedTooFar
    }

    /// - Parameters:
    ///   - rate: the observation, in the same direction as `previous` (both units per NOK, say).
    ///   - previous: the currency's stored rate before it; nil for its first rate, which is taken.
    public static func check(rate: FixedPointRate, asOf: CalendarDate, previous: FixedPointRate?, today: CalendarDate) -> Verdict {
        guard asOf <= today else { return .futureDated }
        guard let previous else { return .plausible }
        // |rate - previous| * 100 > previous * maximumMovePercent, in full width (the products exceed 64 bits).
        let difference = UInt64(abs(rate.scaled - previous.scaled))
        let moved = difference.multipliedFullWidth(by: 100)
        let allowed = UInt64(previous.scaled).multipliedFullWidth(by: maximumMovePercent)
        return (moved.high, moved.low) > (allowed.high, allowed.low) ? .movedTooFar : .plausible
    }
}
