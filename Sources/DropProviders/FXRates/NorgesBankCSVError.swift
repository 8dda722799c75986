/// Why a Norges Bank CSV answer could not be read. Line numbers are 1-based, the header is line 1.
public enum NorgesBankCSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No header line at all.
    case empty
    case missingColumn(String)
    /// A row with a different number of fields than the header (e.g. a truncated answer).
    case wrongFieldCount(line: Int, expected: Int, found: Int)
    case unterminatedQuote(line: Int)
    case badValue(line: Int, column: String, value: String)

    public var description: String {
        switch self {
        case .empty: "empty CSV"
        case .missingColumn(let column): "CSV has no \(column) column"
        case .wrongFieldCount(let line, let expected, let found): "line \(line): \(found) fields, expected \(expected)"
        case .unterminatedQuote(let line): "line \(line): unterminated quoted field"
        case .badValue(let line, let column, let value): "line \(line): bad \(column) '\(value.prefix(40))'"
        }
    }
}
