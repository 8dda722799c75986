/// Product-wide bounds on one remittance, in NOK (docs/architecture.md, "What Drop is": 100–50,000 NOK per transfer).
public enum TransferAmountLimits {
    public static let minimum = Money(minorUnits: 100_00, currency: .nok)
    public static let maximum = Money(minorUnits: 50_000_00, currency: .nok)
}
