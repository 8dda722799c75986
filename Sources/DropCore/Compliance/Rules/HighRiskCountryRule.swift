/// A destination on the call-for-action list (FATF black list: usually a hold) or the high-risk list
/// (FATF grey list and Drop's own: enhanced due diligence). A country on both scores as call-for-action.
public struct HighRiskCountryRule: AMLRule {
    public let id = AMLRuleID.highRiskCountry
    public init() {}

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let country = context.destination
        if configuration.callForActionCountries.contains(country) {
            return AMLFinding(
                rule: id, score: configuration.callForActionCountryScore,
                reason: "Destination \(country) is on the call-for-action list of high-risk jurisdictions."
            )
        }
        if configuration.highRiskCountries.contains(country) {
            return AMLFinding(
                rule: id, score: configuration.highRiskCountryScore,
                reason: "Destination \(country) is on the list of high-risk jurisdictions (enhanced due diligence)."
            )
        }
        return nil
    }
}
