/// The first transfer to a recipient, for at least `newRecipientAmount`; weighs more when the
/// recipient was added less than `freshRecipientAge` ago.
public struct NewRecipientLargeAmountRule: AMLRule {
    public let id = AMLRuleID.newRecipientLargeAmount
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let threshold = configuration.newRecipientAmount.minorUnits
        guard context.isFirstTransferToRecipient, context.amount.minorUnits >= threshold else { return nil }
        let base = "First transfer to this recipient, amount \(context.amount) at or above \(AMLActivity.nok(threshold))"
        if context.recipientAge < configuration.freshRecipientAge {
            return AMLFinding(
                rule: id, score: configuration.freshRecipientScore,
                reason: base + "; recipient added less than \(AMLActivity.duration(configuration.freshRecipientAge)) ago."
            )
        }
        return AMLFinding(rule: id, score: configuration.newRecipientScore, reason: base + ".")
    }
}
