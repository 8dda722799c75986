/// Drop's price: 0.5 % of the amount sent, FX at the reference rate with no markup.
public enum Pricing {
    /// 50 bp = 0.5 %.
    public static let feeBasisPoints: BasisPoints = 50
    /// A quote holds for 15 minutes; long enough to approve in the bank, short enough for FX risk.
    public static let quoteLifetimeSeconds: Int64 = 900

    /// Whether a price made at `pricedAt` still holds at `now` (both Unix seconds): for a quote's 15
    /// minutes. A transfer held for review past them is priced again when it is released, so
    /// nobody is paid at a rate days old (docs/decisions/0026-held-transfers-priced-on-release.md).
    public static func priceHolds(pricedAt: Int64, now: Int64) -> Bool {
        let (expiresAt, overflow) = pricedAt.addingReportingOverflow(quoteLifetimeSeconds)
        return overflow || priceHolds(until: expiresAt, now: now)
    }

    /// The one rule for when a price stops holding, used by quotes, held transfers and the app
    /// (DropKit's `Quote.secondsLeft`): up to `expiresAt`, not at it, so 900 s after pricing it is gone.
    public static func priceHolds(until expiresAt: Int64, now: Int64) -> Bool {
        now < expiresAt
    }

    /// The fee on `send`: 0.5 %, half-up to the øre (100.10 → 0.50, 1000.01 → 5.00).
    public static func fee(on send: Money) throws(PricingError) -> Money {
        do { return try send.percentage(feeBasisPoints, rounding: .halfUp) } catch { throw .overflow }
    }

    /// What `send` NOK becomes at `rate` target units per NOK: half-up to the target's minor unit.
    public static func receiveAmount(for send: Money, in currency: Currency, rate: FixedPointRate) throws(PricingError) -> Money {
        guard send.currency == .nok else { throw .currencyMismatch(expected: "NOK", actual: send.currency.code) }
        do {
            return try send.converted(to: currency, rateNumerator: rate.scaled,
                                      rateDenominator: FixedPointRate.scaleFactor, rounding: .halfUp)
        } catch { throw .overflow }
    }

    // MARK: Quotes from the amount sent

    public static func quote(
        sending send: Money, corridor: Corridor, rate: ExchangeRateQuote, now: Int64
    ) throws(PricingError) -> Quote {
        try quote(sending: send, corridor: corridor, rate: try unitsPerNok(rate, corridor: corridor), rateAsOf: rate.asOf, now: now)
    }

    public static func quote(
        sending send: Money, corridor: Corridor, rate: FixedPointRate, rateAsOf: String, now: Int64
    ) throws(PricingError) -> Quote {
        guard send.currency == .nok else { throw .currencyMismatch(expected: "NOK", actual: send.currency.code) }
        try checkRange(send, corridor: corridor)
        let fee = try fee(on: send)
        let total: Money
        do { total = try send.adding(fee) } catch { throw .overflow }
        let receive = try receiveAmount(for: send, in: corridor.currency, rate: rate)
        let (expiresAt, overflow) = now.addingReportingOverflow(quoteLifetimeSeconds)
        guard !overflow else { throw .overflow }
        return Quote(corridor: corridor, send: send, fee: fee, total: total, rate: rate, receive: receive,
                     createdAt: now, expiresAt: expiresAt, rateAsOf: rateAsOf)
    }

    /// Looks the corridor up first, for callers holding only country and currency.
    public static func quote(
        sending send: Money, country: CountryCode, currency: Currency, rate: ExchangeRateQuote, now: Int64
    ) throws(PricingError) -> Quote {
        guard let corridor = Corridors.find(country: country, currency: currency) else {
            throw .unsupportedCorridor(country: country, currency: currency)
        }
        return try quote(sending: send, corridor: corridor, rate: rate, now: now)
    }

    // MARK: Quotes from the amount received

    /// Prices the smallest NOK amount (to the øre) whose receive amount is at least `receive`.
    ///
    /// Quoting the returned `send` forward gives the same `receive`, which is `receive` itself
    /// whenever it is reachable and otherwise the nearest reachable amount above it (when one øre
    /// buys more than one minor unit, e.g. VND, not every amount can be hit).
    public static func quote(
        receiving receive: Money, corridor: Corridor, rate: ExchangeRateQuote, now: Int64
    ) throws(PricingError) -> Quote {
        try quote(receiving: receive, corridor: corridor, rate: try unitsPerNok(rate, corridor: corridor), rateAsOf: rate.asOf, now: now)
    }

    public static func quote(
        receiving receive: Money, corridor: Corridor, rate: FixedPointRate, rateAsOf: String, now: Int64
    ) throws(PricingError) -> Quote {
        let send = try sendAmount(receiving: receive, currency: corridor.currency, rate: rate)
        return try quote(sending: send, corridor: corridor, rate: rate, rateAsOf: rateAsOf, now: now)
    }

    public static func quote(
        receiving receive: Money, country: CountryCode, rate: ExchangeRateQuote, now: Int64
    ) throws(PricingError) -> Quote {
        guard let corridor = Corridors.find(country: country, currency: receive.currency) else {
            throw .unsupportedCorridor(country: country, currency: receive.currency)
        }
        return try quote(receiving: receive, corridor: corridor, rate: rate, now: now)
    }

    /// The smallest NOK amount whose half-up converted value is ≥ `receive`.
    ///
    /// Half-up reaches R exactly when the unrounded value is ≥ R − ½, so the answer is
    /// ⌈(2R − 1) · den / (2 · num)⌉ with the rate as num/den in minor units. The walk below only
    /// guards that formula (receive is non-decreasing in the amount sent) and is capped.
    public static func sendAmount(receiving receive: Money, currency: Currency, rate: FixedPointRate) throws(PricingError) -> Money {
        guard receive.currency == currency else { throw .currencyMismatch(expected: currency.code, actual: receive.currency.code) }
        guard receive.isPositive else { throw .notPositive }
        let shift = Currency.nok.exponent - currency.exponent
        var estimate: Int64
        do {
            // Target minor units per øre = numerator / denominator, the exponent difference folded in.
            let numerator = try powerOfTen(rate.scaled, max(-shift, 0))
            let denominator = try powerOfTen(FixedPointRate.scaleFactor, max(shift, 0))
            let (twiceNumerator, o1) = numerator.multipliedReportingOverflow(by: 2)
            let (twiceReceive, o2) = receive.minorUnits.multipliedReportingOverflow(by: 2)
            guard !o1, !o2 else { throw MoneyError.overflow }
            estimate = try Rounding.scale(twiceReceive - 1, by: denominator, over: twiceNumerator, rounding: .up)
        } catch { throw .overflow }

        func reaches(_ minor: Int64) throws(PricingError) -> Bool {
            guard minor >= 0 else { return false }
            let got = try receiveAmount(for: Money(minorUnits: minor, currency: .nok), in: currency, rate: rate)
            return got.minorUnits >= receive.minorUnits
        }
        var steps = 0
        while try reaches(estimate - 1) {
            estimate -= 1
            steps += 1
            guard steps < 10_000 else { throw .overflow }
        }
        while !(try reaches(estimate)) {
            guard estimate < Int64.max else { throw .overflow }
            estimate += 1
            steps += 1
            guard steps < 10_000 else { throw .overflow }
        }
        return Money(minorUnits: estimate, currency: .nok)
    }

    // MARK: Helpers

    private static func checkRange(_ send: Money, corridor: Corridor) throws(PricingError) {
        if send.minorUnits < corridor.minAmount.minorUnits {
            throw .belowMinimum(amount: send, minimum: corridor.minAmount, maximum: corridor.maxAmount)
        }
        if send.minorUnits > corridor.maxAmount.minorUnits {
            throw .aboveMaximum(amount: send, minimum: corridor.minAmount, maximum: corridor.maxAmount)
        }
    }

    /// The corridor's units per NOK from a feed quote, refusing a quote for another currency.
    private static func unitsPerNok(_ rate: ExchangeRateQuote, corridor: Corridor) throws(PricingError) -> FixedPointRate {
        guard rate.base == "NOK" else { throw .currencyMismatch(expected: "NOK", actual: rate.base) }
        guard rate.quote == corridor.currency.code else {
            throw .currencyMismatch(expected: corridor.currency.code, actual: rate.quote)
        }
        return rate.unitsPerNok
    }

    private static func powerOfTen(_ value: Int64, _ exponent: Int) throws(MoneyError) -> Int64 {
        var result = value
        for _ in 0..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw MoneyError.overflow }
            result = product
        }
        return result
    }
}
