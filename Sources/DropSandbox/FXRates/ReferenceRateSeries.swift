/// Produces the observations a query asks for, as Norges Bank would: business-daily values,
/// and monthly/annual averages for complete periods only, nothing after the latest published day.
struct ReferenceRateSeries: Sendable {
    struct Observation: Sendable, Hashable {
        let frequency: SDMXDataQuery.Frequency
        let currency: ReferenceCurrency
        let timePeriod: String
        /// NOK per 10^unitMultiplier units, in 10^-decimals.
        let value: Int64
    }

    /// The sandbox's history begins here; the real feed goes further back, nobody needs that.
    static let historyStart = CalendarDay(dayNumber: 10_957) // 2000-01-01
    /// Refuse answers bigger than this, as the real API refuses huge ones (SDMX code 130).
    static let maxObservations = 100_000

    let calendar: NorwegianBusinessCalendar
    let model: ReferenceRateModel

    func observations(for query: SDMXDataQuery, latestPublished latest: CalendarDay) throws(SDMXError) -> [Observation] {
        guard query.matches("NOK", in: query.quoteCurrencies), query.matches("SP", in: query.tenors) else {
            throw .noResults()
        }
        let frequencies = SDMXDataQuery.Frequency.allCases.filter { query.matches($0.rawValue, in: query.frequencies) }
        let currencies = ReferenceCurrency.catalogue.filter { query.matches($0.code, in: query.baseCurrencies) }
        let lower = max(query.startPeriod ?? Self.historyStart, Self.historyStart)
        let upper = min(query.endPeriod ?? latest, latest)

        var result: [Observation] = []
        for frequency in frequencies {
            let periods = self.periods(frequency, from: lower, through: upper, latest: latest, last: query.lastNObservations)
            for currency in currencies {
                for period in periods {
                    let value: Int64?
                    switch frequency {
                    case .business: value = model.value(of: currency, on: period.days[0])
                    case .monthly, .annual: value = model.average(of: currency, over: period.days)
                    }
                    guard let value else { continue }
                    result.append(Observation(frequency: frequency, currency: currency, timePeriod: period.label, value: value))
                    guard result.count <= Self.maxObservations else {
                        throw .tooLarge("more than \(Self.maxObservations) observations; narrow the period")
                    }
                }
            }
        }
        guard !result.isEmpty else { throw .noResults() }
        // Series order: currency, then frequency, observations oldest first.
        return result.sorted {
            ($0.currency.code, $0.frequency.rawValue, $0.timePeriod) < ($1.currency.code, $1.frequency.rawValue, $1.timePeriod)
        }
    }

    private struct Period {
        let label: String
        let days: [CalendarDay]
    }

    /// Periods of `frequency` overlapping lower...upper, oldest first, the newest `last` if given.
    private func periods(
        _ frequency: SDMXDataQuery.Frequency, from lower: CalendarDay, through upper: CalendarDay,
        latest: CalendarDay, last: Int?
    ) -> [Period] {
        guard lower <= upper else { return [] }
        var collected: [Period] = []
        let limit = last ?? Int.max
        switch frequency {
        case .business:
            var day = upper
            while day >= lower, collected.count < limit {
                if calendar.isBusinessDay(day) { collected.append(Period(label: day.description, days: [day])) }
                day = day.adding(days: -1)
            }
        case .monthly:
            var (year, month, _) = upper.civil
            while collected.count < limit {
                let first = CalendarDay(year: year, month: month, day: 1)!
                let last = CalendarDay(year: year, month: month, day: CalendarDay.daysInMonth(year: year, month: month))!
                guard last >= lower else { break }
                let days = calendar.businessDays(in: first...last)
                // Only complete months: the month's last business day must be published.
                if let final = days.last, final <= latest {
                    collected.append(Period(label: "\(year)-\(CalendarDay.padded(month, 2))", days: days))
                }
                (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1)
            }
        case .annual:
            var year = upper.civil.year
            while collected.count < limit {
                let first = CalendarDay(year: year, month: 1, day: 1)!
                let last = CalendarDay(year: year, month: 12, day: 31)!
                guard last >= lower else { break }
                let days = calendar.businessDays(in: first...last)
                if let final = days.last, final <= latest {
                    collected.append(Period(label: String(year), days: days))
                }
                year -= 1
            }
        }
        return collected.reversed()
    }
}
