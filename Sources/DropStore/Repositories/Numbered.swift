import SQLKit

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

extension Numbered {
    /// A statement's rows grouped by `key`, in the statement's order, each group under the number its first row
    /// carries in `numberColumn` (every row of a customer carries the same one).
    static func grouped<Element>(_ rows: [any SQLRow], numberColumn: String, key: (any SQLRow) throws -> String,
                                 element: (any SQLRow) throws -> Element) throws -> [String: Numbered<[Element]>] where Value == [Element] {
        var elements: [String: [Element]] = [:]
        var versions: [String: Int64] = [:]
        for row in rows {
            let key = try key(row)
            if elements[key] == nil { versions[key] = try row.decode(column: numberColumn, as: Int64.self) }
            elements[key, default: []].append(try element(row))
        }
        return elements.reduce(into: [:]) { $0[$1.key] = Numbered(version: versions[$1.key] ?? 0, value: $1.value) }
    }
}
