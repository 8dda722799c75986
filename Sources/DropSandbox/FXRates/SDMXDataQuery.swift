import Foundation

/// A parsed `GET /api/data/EXR/{FREQ}.{BASE_CUR}.{QUOTE_CUR}.{TENOR}?...` request.
/// An empty key part means "all values"; `+` joins several.
struct SDMXDataQuery: Sendable, Hashable {
    enum Frequency: String, Sendable, CaseIterable, Comparable {
        case annual = "A"
        case business = "B"
        case monthly = "M"

        var label: String {
            switch self {
            case .annual: "Annual"
            case .business: "Business"
            case .monthly: "Monthly"
            }
        }

        static func < (lhs: Frequency, rhs: Frequency) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var frequencies: Set<String>?
    var baseCurrencies: Set<String>?
    var quoteCurrencies: Set<String>?
    var tenors: Set<String>?
    var lastNObservations: Int?
    var startPeriod: CalendarDay?
    var endPeriod: CalendarDay?

    /// - Parameters:
    ///   - key: the series key path segment, e.g. "B.USD+EUR.NOK.SP" (percent-encoding allowed).
    ///   - parameter: looks up a query parameter by name.
    static func parse(key rawKey: String, parameter: (String) -> String?) throws(SDMXError) -> SDMXDataQuery {
        let key = rawKey.removingPercentEncoding ?? rawKey
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 else {
            throw .syntax("series key '\(key.prefix(60))' must have 4 dimensions FREQ.BASE_CUR.QUOTE_CUR.TENOR")
        }
        var query = SDMXDataQuery()
        query.frequencies = try dimension(parts[0])
        query.baseCurrencies = try dimension(parts[1])
        query.quoteCurrencies = try dimension(parts[2])
        query.tenors = try dimension(parts[3])

        let format = parameter("format")?.lowercased()
        switch format {
        case "csv":
            break
        case nil:
            throw .semantic("the sandbox serves format=csv only (the real default is SDMX-ML)")
        case "sdmx-json", "csv-ts", "excel-both", "structurespecificdata", "genericdata":
            throw .semantic("format '\(format ?? "")' is not served by the sandbox; use format=csv")
        default:
            throw .syntax("unknown format '\(format ?? "")'")
        }
        if let locale = parameter("locale"), !["en", "no", "nb"].contains(locale.lowercased()) {
            throw .syntax("unknown locale '\(locale)'")
        }
        if let text = parameter("lastNObservations") {
            guard let count = Int(text), count > 0 else { throw .syntax("lastNObservations must be a positive integer") }
            query.lastNObservations = count
        }
        if let text = parameter("startPeriod") {
            guard let period = ReportingPeriod(text) else { throw .syntax("startPeriod '\(text.prefix(20))' is not YYYY, YYYY-MM or YYYY-MM-DD") }
            query.startPeriod = period.firstDay
        }
        if let text = parameter("endPeriod") {
            guard let period = ReportingPeriod(text) else { throw .syntax("endPeriod '\(text.prefix(20))' is not YYYY, YYYY-MM or YYYY-MM-DD") }
            query.endPeriod = period.lastDay
        }
        if let start = query.startPeriod, let end = query.endPeriod, start > end {
            throw .semantic("startPeriod is after endPeriod")
        }
        return query
    }

    private static func dimension(_ part: String) throws(SDMXError) -> Set<String>? {
        guard !part.isEmpty else { return nil }
        let values = part.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        for value in values {
            guard !value.isEmpty, value.count <= 10,
                  value.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) }) else {
                throw .syntax("invalid key value '\(value.prefix(20))'")
            }
        }
        return Set(values)
    }

    func matches(_ value: String, in selection: Set<String>?) -> Bool {
        selection?.contains(value) ?? true
    }
}

/// An SDMX reporting period as a query bound: a year, a month or a day.
struct ReportingPeriod: Sendable {
    let firstDay: CalendarDay
    let lastDay: CalendarDay

    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts[0].count == 4, let year = Int(parts[0]) else { return nil }
        switch parts.count {
        case 1:
            guard let first = CalendarDay(year: year, month: 1, day: 1),
                  let last = CalendarDay(year: year, month: 12, day: 31) else { return nil }
            (firstDay, lastDay) = (first, last)
        case 2:
            guard parts[1].count == 2, let month = Int(parts[1]),
                  let first = CalendarDay(year: year, month: month, day: 1),
                  let last = CalendarDay(year: year, month: month, day: CalendarDay.daysInMonth(year: year, month: month))
            else { return nil }
            (firstDay, lastDay) = (first, last)
        case 3:
            guard let day = CalendarDay(iso: text) else { return nil }
            (firstDay, lastDay) = (day, day)
        default:
            return nil
        }
    }
}
