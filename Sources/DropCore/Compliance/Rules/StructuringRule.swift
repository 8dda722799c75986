/// Several transfers just under a threshold within a short window: the pattern of splitting an
/// amount to stay under a line. "Just under" is `[threshold − band, threshold)`; the current transfer
/// must itself be just under (a pattern already complete was flagged when it completed). Two lines
/// are watched: the large-amount one and, optionally, a lower one (see `AMLConfiguration`).
public struct StructuringRule: AMLRule {
    public let id = AMLRuleID.structuring
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        var lines = [(configuration.structuringThreshold.minorUnits, configuration.structuringBand.minorUnits)]
        if let secondary = configuration.secondaryStructuringThreshold {
            lines.append((secondary.minorUnits, configuration.secondaryStructuringBand.minorUnits))
        }
        for (ceiling, band) in lines {
            if let finding = evaluate(context, history: history, configuration: configuration, ceiling: ceiling, floor: ceiling - band) {
                return finding
            }
        }
        return nil
    }

    private func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration,
                          ceiling: Int64, floor: Int64) -> AMLFinding? {
        let justUnder = { (amount: Money) in amount.minorUnits >= floor && amount.minorUnits < ceiling }
        guard justUnder(context.amount) else { return nil }
        let activity = AMLActivity(context, history: history, configuration: configuration)
        let earlier = activity.within(configuration.structuringWindow).filter { justUnder($0.amount) }
        let count = earlier.count + 1
        guard count >= configuration.structuringCount else { return nil }
        return AMLFinding(
            rule: id, score: configuration.structuringScore,
            reason: "\(count) transfers within \(AMLActivity.duration(configuration.structuringWindow)) between "
                + "\(AMLActivity.nok(floor)) and just under \(AMLActivity.nok(ceiling)), this transfer included.",
            transferIds: AMLActivity.ids(earlier)
        )
    }
}
