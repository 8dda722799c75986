/// Several transfers just under a threshold within a short window: the pattern of splitting an
/// amount to stay under a line. "Just under" is `[threshold − band, threshold)`; the current transfer
/// must itself be just under (a pattern already complete was flagged when it completed).
public struct StructuringRule: AMLRule {
    public let id = AMLRuleID.structuring
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let ceiling = configuration.structuringThreshold.minorUnits
        let floor = ceiling - configuration.structuringBand.minorUnits
        let justUnder = { (amount: Money) in amount.minorUnits >= floor && amount.minorUnits < ceiling }
        guard justUnder(context.amount) else { return nil }
        let activity = AMLActivity(context, history: history, configuration: configuration)
        let count = activity.within(configuration.structuringWindow).filter { justUnder($0.amount) }.count + 1
        guard count >= configuration.structuringCount else { return nil }
        return AMLFinding(
            rule: id, score: configuration.structuringScore,
            reason: "\(count) transfers within \(AMLActivity.duration(configuration.structuringWindow)) between "
                + "\(AMLActivity.nok(floor)) and just under \(AMLActivity.nok(ceiling)), this transfer included."
        )
    }
}
