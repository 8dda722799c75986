/// Many transfers, or much money, within a rolling window: one instance per window
/// (`velocity_24h` with `AMLConfiguration.velocity24h`, `velocity_30d` with `velocity30d`).
public struct VelocityRule: AMLRule {
    public let id: AMLRuleID
    private let limit: @Sendable (AMLConfiguration) -> AMLVelocityLimit

    public static let day = VelocityRule(id: .velocity24h) { $0.velocity24h }
    public static let month = VelocityRule(id: .velocity30d) { $0.velocity30d }

    private init(id: AMLRuleID, limit: @escaping @Sendable (AMLConfiguration) -> AMLVelocityLimit) {
        self.id = id
        self.limit = limit
    }

    public func evaluate(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) -> AMLFinding? {
        let limit = limit(configuration)
        let recent = AMLActivity(context, history: history, configuration: configuration).within(limit.window)
        let count = recent.count + 1
        let sum = AMLActivity.sum(recent.map(\.amount.minorUnits) + [context.amount.minorUnits])
        let tooMany = count >= limit.countThreshold
        let tooMuch = count >= 2 && sum >= limit.sumThreshold.minorUnits
        guard tooMany || tooMuch else { return nil }
        let window = AMLActivity.duration(limit.window)
        var parts: [String] = []
        if tooMany { parts.append("\(count) transfers within \(window) (threshold \(limit.countThreshold))") }
        if tooMuch {
            parts.append("\(AMLActivity.nok(sum)) sent within \(window) (threshold \(AMLActivity.nok(limit.sumThreshold.minorUnits)))")
        }
        return AMLFinding(rule: id, score: limit.score, reason: parts.joined(separator: "; ") + ", this transfer included.",
                          transferIds: AMLActivity.ids(recent))
    }
}
