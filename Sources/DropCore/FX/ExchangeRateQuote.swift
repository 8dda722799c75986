/// A reference rate between NOK and one foreign currency on one business day, both ways round.
///
/// Currencies are plain ISO 4217 codes here so FX does not depend on the Money module.
public struct ExchangeRateQuote: Sendable, Hashable, Codable {
    /// Always "NOK": Drop prices everything from Norwegian kroner.
    public var base: String
    /// The foreign currency, e.g. "EUR".
    public var quote: String
    /// NOK for one unit of `quote` (e.g. 11.7 for EUR), already divided by the feed's unit multiplier.
    public var nokPerUnit: FixedPointRate
    /// Units of `quote` for one NOK: 1 / nokPerUnit, half-up at 10 decimals.
    public var unitsPerNok: FixedPointRate
    /// The business day the rate was published for, "YYYY-MM-DD".
    public var asOf: String
    /// Who published it, e.g. "Norges Bank".
    public var source: String

    public init(base: String, quote: String, nokPerUnit: FixedPointRate, unitsPerNok: FixedPointRate, asOf: String, source: String) {
        self.base = base
        self.quote = quote
        self.nokPerUnit = nokPerUnit
        self.unitsPerNok = unitsPerNok
        self.asOf = asOf
        self.source = source
    }

    /// Builds a NOK-based quote, deriving `unitsPerNok` as the half-up inverse of `nokPerUnit`.
    public init(quote: String, nokPerUnit: FixedPointRate, asOf: String, source: String) throws(FixedPointRateError) {
        self.init(
            base: "NOK", quote: quote, nokPerUnit: nokPerUnit,
            unitsPerNok: try nokPerUnit.inverse(), asOf: asOf, source: source
        )
    }
}
