/// An amount far above what this customer usually sends: at least `unusualAmountMultiplier` × the
/// median of their earlier transfers of the same channel (`AMLChannel`) within `patternLookback`, and at least `unusualAmountMinimum`.
/// Needs `patternMinimumHistory` earlier transfers; with fewer there is no "usual" yet.
public struct UnusualAmountRule: AMLRule {
    public let id = AMLRuleID.unusualAmount
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let earlier = AMLActivity(context, history: history, configuration: configuration).sameChannel.within(configuration.patternLookback)
        guard earlier.count >= configuration.patternMinimumHistory, earlier.count > 0 else { return nil }
        let amount = context.amount.minorUnits
        guard amount >= configuration.unusualAmountMinimum.minorUnits else { return nil }
        // The median, kept exact as twice its value: the two middle amounts added (odd counts: the middle one doubled).
        let sorted = earlier.map(\.amount.minorUnits).sorted()
        let middle = sorted.count / 2
        let twiceMedian = sorted.count % 2 == 1
            ? AMLActivity.sum([sorted[middle], sorted[middle]])
            : AMLActivity.sum([sorted[middle - 1], sorted[middle]])
        // amount ≥ multiplier × median  ⇔  2 × amount ≥ multiplier × (2 × median)
        let multiplier = configuration.unusualAmountMultiplier
        guard AMLActivity.product(amount, 2) >= AMLActivity.product(twiceMedian, multiplier) else { return nil }
        let median = Money(minorUnits: twiceMedian / 2 + twiceMedian % 2, currency: .nok)  // half an øre rounds up
        return AMLFinding(
            rule: id, score: configuration.unusualAmountScore,
            reason: "Amount \(context.amount) is at least \(multiplier) times the median \(median) of the customer's "
                + "\(earlier.count) transfers in the last \(AMLActivity.duration(configuration.patternLookback))."
        )
    }
}
