import DropCore

/// Reads the `format=csv` answer of Norges Bank's SDMX API.
///
/// Columns are found by header name, never position, so added or reordered columns do not break
/// it. Tolerates a byte-order mark, CRLF line ends, blank lines, quoted fields and a `,` separator
/// (plain SDMX-CSV); anything else malformed is a `NorgesBankCSVError`, never a crash.
public struct NorgesBankCSVParser: Sendable {
    static let requiredColumns = ["BASE_CUR", "QUOTE_CUR", "UNIT_MULT", "TIME_PERIOD", "OBS_VALUE"]

    public init() {}

    public func parse(_ text: String) throws(NorgesBankCSVError) -> [NorgesBankObservation] {
        var lines = Self.lines(of: text)
        guard let headerLine = lines.first.map({ $0.drop { $0 == "\u{FEFF}" } }),
              !headerLine.allSatisfy(\.isWhitespace) else { throw .empty }
        lines.removeFirst()
        let separator: Character = headerLine.contains(";") ? ";" : ","
        let header = try Self.fields(of: headerLine, separator: separator, line: 1).map { $0.trimmingSurroundingWhitespace() }

        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name] == nil { index[name] = position }
        for column in Self.requiredColumns where index[column] == nil { throw .missingColumn(column) }
        let frequencyColumn = index["FREQ"]

        var observations: [NorgesBankObservation] = []
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 2
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let fields = try Self.fields(of: line, separator: separator, line: lineNumber)
            guard fields.count == header.count else {
                throw .wrongFieldCount(line: lineNumber, expected: header.count, found: fields.count)
            }
            func field(_ name: String) -> String { fields[index[name]!].trimmingSurroundingWhitespace() }

            let base = field("BASE_CUR")
            let quote = field("QUOTE_CUR")
            guard Self.isCurrencyCode(base) else { throw .badValue(line: lineNumber, column: "BASE_CUR", value: base) }
            guard Self.isCurrencyCode(quote) else { throw .badValue(line: lineNumber, column: "QUOTE_CUR", value: quote) }
            let period = field("TIME_PERIOD")
            guard Self.isPeriod(period) else { throw .badValue(line: lineNumber, column: "TIME_PERIOD", value: period) }
            let multiplierText = field("UNIT_MULT")
            guard multiplierText.count == 1, let multiplier = Int(multiplierText), (0...9).contains(multiplier) else {
                throw .badValue(line: lineNumber, column: "UNIT_MULT", value: multiplierText)
            }
            let valueText = field("OBS_VALUE")
            let published: FixedPointRate
            let perUnit: FixedPointRate
            do {
                published = try FixedPointRate(parsing: valueText)
                perUnit = try published.divided(by: Self.powerOfTen(multiplier))
            } catch {
                throw .badValue(line: lineNumber, column: "OBS_VALUE", value: valueText)
            }
            observations.append(NorgesBankObservation(
                frequency: frequencyColumn.map { fields[$0].trimmingSurroundingWhitespace() },
                baseCurrency: base, quoteCurrency: quote, timePeriod: period,
                publishedValue: published, unitMultiplier: multiplier, nokPerUnit: perUnit
            ))
        }
        return observations
    }

    private static func lines(of text: String) -> [Substring] {
        // Character-wise split: "\r\n" is a single Character in Swift, so both endings are caught.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    }

    /// Splits one line; `"..."` fields may contain the separator and `""` for a quote.
    private static func fields(of line: Substring, separator: Character, line number: Int) throws(NorgesBankCSVError) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == separator {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        guard !inQuotes else { throw .unterminatedQuote(line: number) }
        fields.append(current)
        return fields
    }

    private static func isCurrencyCode(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD" with plausible month and day numbers.
    private static func isPeriod(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }) else { return false }
        if parts.count >= 2, let month = Int(parts[1]), !(1...12).contains(month) { return false }
        if parts.count == 3, let day = Int(parts[2]), !(1...31).contains(day) { return false }
        return true
    }

    private static func powerOfTen(_ exponent: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
