/// A single transfer at or above `AMLConfiguration.largeAmount`.
public struct LargeAmountRule: AMLRule {
    public let id = AMLRuleID.largeAmount
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let threshold = configuration.largeAmount.minorUnits
        guard context.amount.minorUnits >= threshold else { return nil }
        return AMLFinding(
            rule: id, score: configuration.largeAmountScore,
            reason: "Amount \(context.amount) is at or above the large-transfer threshold of \(AMLActivity.nok(threshold))."
        )
    }
}
