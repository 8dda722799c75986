/// A destination the customer has never sent to, when they have an established pattern
/// (`patternMinimumHistory` earlier transfers of the same channel within `patternLookback`).
public struct UnusualCountryRule: AMLRule {
    public let id = AMLRuleID.unusualCountry
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let earlier = AMLActivity(context, history: history, configuration: configuration).sameChannel.within(configuration.patternLookback)
        guard earlier.count >= configuration.patternMinimumHistory else { return nil }
        guard !earlier.contains(where: { $0.destination == context.destination }) else { return nil }
        let usual = Set(earlier.map(\.destination)).sorted().map(\.rawValue).joined(separator: ", ")
        return AMLFinding(
            rule: id, score: configuration.unusualCountryScore,
            reason: "Destination \(context.destination) is new for this customer; their \(earlier.count) transfers in the last "
                + "\(AMLActivity.duration(configuration.patternLookback)) went to \(usual)."
        )
    }
}
