/// A customer's rows read together with the number they stand under (`BalanceVersion`,
/// `TransactionListVersion`), in one statement. One statement is one snapshot, so the rows are
/// exactly that number's. A process that holds nothing of the customer reads this instead of the
/// number and then the rows: one statement fewer before a first visit's answer (ADR 0024).
public struct Numbered<Value: Sendable>: Sendable {
    public let version: Int64
    public let value: Value

    public init(version: Int64, value: Value) {
        self.version = version
        self.value = value
    }
}
