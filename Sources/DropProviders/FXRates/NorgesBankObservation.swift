import DropCore

/// One row of Norges Bank's EXR CSV: the NOK value of a foreign currency on one period.
public struct NorgesBankObservation: Sendable, Hashable {
    /// "B" (business day), "M" or "A"; nil when the CSV has no FREQ column.
    public let frequency: String?
    /// The foreign currency (the feed's BASE_CUR), e.g. "SEK".
    public let baseCurrency: String
    /// The feed's QUOTE_CUR, always "NOK" for EXR.
    public let quoteCurrency: String
    /// "YYYY-MM-DD" for business-day rows ("YYYY-MM" / "YYYY" for averages).
    public let timePeriod: String
    /// OBS_VALUE as published: NOK per 10^unitMultiplier units (e.g. 107.2 for 100 SEK).
    public let publishedValue: FixedPointRate
    /// UNIT_MULT: the power of ten the value is quoted per.
    public let unitMultiplier: Int
    /// NOK for one unit: publishedValue / 10^unitMultiplier.
    public let nokPerUnit: FixedPointRate

    public init(
        frequency: String?, baseCurrency: String, quoteCurrency: String, timePeriod: String,
        publishedValue: FixedPointRate, unitMultiplier: Int, nokPerUnit: FixedPointRate
    ) {
        self.frequency = frequency
        self.baseCurrency = baseCurrency
        self.quoteCurrency = quoteCurrency
        self.timePeriod = timePeriod
        self.publishedValue = publishedValue
        self.unitMultiplier = unitMultiplier
        self.nokPerUnit = nokPerUnit
    }
}
