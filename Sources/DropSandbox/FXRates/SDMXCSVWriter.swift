/// Writes observations in Norges Bank's `format=csv` shape: `;`-separated, one header line,
/// codes next to their English labels, values with the series' DECIMALS.
struct SDMXCSVWriter: Sendable {
    static let header = "FREQ;Frequency;BASE_CUR;Base Currency;QUOTE_CUR;Quote Currency;TENOR;Tenor;DECIMALS;CALCULATED;UNIT_MULT;Unit Multiplier;COLLECTION;Collection Indicator;TIME_PERIOD;OBS_VALUE"

    func csv(_ observations: [ReferenceRateSeries.Observation]) -> String {
        var text = Self.header + "\n"
        text.reserveCapacity(observations.count * 140)
        for observation in observations {
            text += row(observation) + "\n"
        }
        return text
    }

    func row(_ observation: ReferenceRateSeries.Observation) -> String {
        let currency = observation.currency
        let collection = observation.frequency == .business
            ? ("C", "ECB concertation time 14:15 CET")
            : ("A", "Average of observations through period")
        return [
            observation.frequency.rawValue, observation.frequency.label,
            currency.code, currency.name,
            "NOK", "Norwegian krone",
            "SP", "Spot",
            String(currency.decimals), currency.calculated ? "true" : "false",
            String(currency.unitMultiplier), currency.unitMultiplier == 2 ? "Hundreds" : "Units",
            collection.0, collection.1,
            observation.timePeriod,
            Self.decimal(observation.value, decimals: currency.decimals),
        ].joined(separator: ";")
    }

    /// 117034 at 4 decimals → "11.7034".
    static func decimal(_ value: Int64, decimals: Int) -> String {
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let integer = String(value / divisor)
        guard decimals > 0 else { return integer }
        let fraction = String(value % divisor)
        return integer + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
