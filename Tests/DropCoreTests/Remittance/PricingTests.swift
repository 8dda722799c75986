import DropTestTools
import Testing
@testable import DropCore

@Suite("Pricing")
struct PricingTests {
    static func nok(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .nok) }
    static func rate(_ text: String) -> FixedPointRate { try! FixedPointRate(parsing: text) }
    static let germany = Corridors.find(country: CountryCode(rawValue: "DE")!, currency: .eur)!

    /// A corridor-shaped value for currencies Drop does not pay out in, to pin exponent handling.
    static func testCorridor(_ code: String) -> Corridor {
        Corridor(country: CountryCode(rawValue: "JP")!, currency: Currency(rawValue: code)!, rail: .swift,
                 accountFormat: .accountAndBIC, requiredFields: ["name"], minAmount: TransferAmountLimits.minimum,
                 maxAmount: TransferAmountLimits.maximum, estimatedDelivery: "test")
    }

    @Test(arguments: [
        (Int64(100_10), Int64(50)), (1000_01, 5_00), (50_000_00, 250_00), (100_00, 50), (100_99, 50),
        (101_00, 51), (101_99, 51), (102_00, 51), (1234_56, 6_17), (999_99, 5_00),
    ])
    func feeIsHalfAPercentHalfUp(_ send: Int64, _ fee: Int64) throws {
        #expect(try Pricing.fee(on: Self.nok(send)) == Self.nok(fee))
    }

    @Test func forwardQuote() throws {
        let quote = try Pricing.quote(sending: Self.nok(1000_00), corridor: Self.germany, rate: Self.rate("0.0854700855"),
                                      rateAsOf: "2026-11-26", now: 1_800_000_000)
        #expect(quote.fee == Self.nok(5_00))
        #expect(quote.total == Self.nok(1005_00))
        #expect(quote.receive == Money(minorUnits: 85_47, currency: .eur)) // 85.47008…
        #expect(quote.expiresAt == 1_800_000_900)
        #expect(quote.isValid(at: 1_800_000_899) && !quote.isValid(at: 1_800_000_900))
        #expect(quote.rateAsOf == "2026-11-26")
    }

    /// A quote and a held transfer's price stop holding at the same second, 900 s after pricing: a
    /// transfer from a quote at its last second is not re-priced on release as a price too old.
    @Test func aQuoteAndAHeldPriceExpireAtTheSameSecond() throws {
        let quote = try Pricing.quote(sending: Self.nok(1000_00), corridor: Self.germany, rate: Self.rate("0.0854700855"),
                                      rateAsOf: "2026-11-26", now: 1_800_000_000)
        for now in Int64(1_800_000_000)...1_800_000_902 {
            #expect(quote.isValid(at: now) == Pricing.priceHolds(pricedAt: quote.createdAt, now: now), "at \(now)")
            #expect(quote.isValid(at: now) == Pricing.priceHolds(until: quote.expiresAt, now: now), "at \(now)")
        }
        #expect(Pricing.priceHolds(pricedAt: 0, now: 899) && !Pricing.priceHolds(pricedAt: 0, now: 900))
        #expect(!quote.isValid(at: quote.expiresAt))
    }

    @Test func quoteFromFeedRate() throws {
        let feed = try ExchangeRateQuote(quote: "EUR", nokPerUnit: Self.rate("11.7"), asOf: "2026-11-26", source: "Norges Bank")
        let quote = try Pricing.quote(sending: Self.nok(117_00), country: CountryCode(rawValue: "DE")!, currency: .eur, rate: feed, now: 0)
        #expect(quote.receive == Money(minorUnits: 10_00, currency: .eur))
        #expect(quote.rate == feed.unitsPerNok)
    }

    @Test(arguments: [
        // (currency, rate, send øre, expected receive minor)
        ("JPY", "14.25", Int64(100_03), Int64(1425)), ("JPY", "14.25", 100_04, 1426), ("JPY", "0.5", 101_00, 51),
        ("JPY", "0.5", 100_99, 50), ("VND", "2400.123", 100_00, 240_012), ("KWD", "0.0291", 100_00, 2_910),
        ("KWD", "0.05", 100_01, 5_001), ("BHD", "0.035", 123_45, 4_321), ("EUR", "0.0855", 100_00, 8_55),
        ("EUR", "0.005", 101_00, 51), ("EUR", "0.005", 100_99, 50),
    ])
    func receiveRoundsHalfUpToTheTargetExponent(_ code: String, _ rate: String, _ send: Int64, _ receive: Int64) throws {
        let corridor = Self.testCorridor(code)
        let quote = try Pricing.quote(sending: Self.nok(send), corridor: corridor, rate: Self.rate(rate), rateAsOf: "", now: 0)
        #expect(quote.receive == Money(minorUnits: receive, currency: corridor.currency))
    }

    @Test func limitsAreEnforcedOnTheAmountSent() {
        let rate = Self.rate("0.0855")
        #expect(throws: PricingError.belowMinimum(amount: Self.nok(99_99), minimum: Self.nok(100_00), maximum: Self.nok(50_000_00))) {
            try Pricing.quote(sending: Self.nok(99_99), corridor: Self.germany, rate: rate, rateAsOf: "", now: 0)
        }
        #expect(throws: PricingError.aboveMaximum(amount: Self.nok(50_000_01), minimum: Self.nok(100_00), maximum: Self.nok(50_000_00))) {
            try Pricing.quote(sending: Self.nok(50_000_01), corridor: Self.germany, rate: rate, rateAsOf: "", now: 0)
        }
        #expect(throws: Never.self) {
            _ = try Pricing.quote(sending: Self.nok(100_00), corridor: Self.germany, rate: rate, rateAsOf: "", now: 0)
            _ = try Pricing.quote(sending: Self.nok(50_000_00), corridor: Self.germany, rate: rate, rateAsOf: "", now: 0)
        }
        let somalia = Corridors.find(country: CountryCode(rawValue: "SO")!, currency: .usd)!
        do {
            _ = try Pricing.quote(sending: Self.nok(10_000_01), corridor: somalia, rate: rate, rateAsOf: "", now: 0)
            Issue.record("expected a limit error")
        } catch {
            #expect(error.code == "LIMIT_EXCEEDED")
        }
        // From a receive amount, the limit applies to the NOK it costs.
        #expect(throws: PricingError.self) {
            try Pricing.quote(receiving: Money(minorUnits: 1_00, currency: .eur), corridor: Self.germany, rate: rate, rateAsOf: "", now: 0)
        }
    }

    @Test func unsupportedCorridorAndMismatches() throws {
        let feed = try ExchangeRateQuote(quote: "SEK", nokPerUnit: Self.rate("0.98"), asOf: "2026-11-26", source: "Norges Bank")
        #expect(throws: PricingError.unsupportedCorridor(country: .norway, currency: .nok)) {
            try Pricing.quote(sending: Self.nok(500_00), country: .norway, currency: .nok, rate: feed, now: 0)
        }
        #expect(throws: PricingError.currencyMismatch(expected: "EUR", actual: "SEK")) {
            try Pricing.quote(sending: Self.nok(500_00), corridor: Self.germany, rate: feed, now: 0)
        }
        #expect(throws: PricingError.currencyMismatch(expected: "NOK", actual: "EUR")) {
            try Pricing.quote(sending: Money(minorUnits: 500_00, currency: .eur), corridor: Self.germany, rate: Self.rate("1"), rateAsOf: "", now: 0)
        }
        #expect(throws: PricingError.currencyMismatch(expected: "EUR", actual: "USD")) {
            try Pricing.quote(receiving: Money(minorUnits: 50_00, currency: .usd), corridor: Self.germany, rate: Self.rate("0.1"), rateAsOf: "", now: 0)
        }
        #expect(throws: PricingError.notPositive) {
            try Pricing.sendAmount(receiving: Money(minorUnits: 0, currency: .eur), currency: .eur, rate: Self.rate("0.1"))
        }
        #expect(throws: PricingError.overflow) {
            try Pricing.sendAmount(receiving: Money(minorUnits: Int64.max, currency: .eur), currency: .eur, rate: Self.rate("0.0001"))
        }
    }

    @Test func receiveQuoteHitsTheAskedAmount() throws {
        let quote = try Pricing.quote(receiving: Money(minorUnits: 100_00, currency: .eur), corridor: Self.germany,
                                      rate: Self.rate("0.0854700855"), rateAsOf: "2026-11-26", now: 0)
        #expect(quote.receive == Money(minorUnits: 100_00, currency: .eur))
        #expect(quote.send == Self.nok(1169_95)) // 1169.95 × 0.0854700855 = 99.99572…, the first to round to 100.00
        #expect(quote.fee == Self.nok(5_85))
    }

    @Test func receiveQuoteOnAZeroDecimalCurrencyGivesTheNearestAmountAbove() throws {
        // One øre buys 24 VND here, so 1 000 000 VND exactly is out of reach.
        let corridor = Corridors.find(country: CountryCode(rawValue: "VN")!, currency: Currency(rawValue: "VND")!)!
        let quote = try Pricing.quote(receiving: Money(minorUnits: 1_000_000, currency: corridor.currency), corridor: corridor,
                                      rate: Self.rate("2400"), rateAsOf: "", now: 0)
        #expect(quote.send == Self.nok(416_67))
        #expect(quote.receive.minorUnits == 1_000_008)
    }

    /// Property over many seeded random cases, for exponents 0, 2 and 3:
    /// (1) any amount reached by sending s is hit exactly, for no more than s;
    /// (2) for any asked amount, the send is the smallest that reaches it.
    @Test(arguments: ["EUR", "VND", "JPY", "KWD", "BHD", "INR", "USD"])
    func receiveQuotesRoundTrip(_ code: String) throws {
        let currency = Currency(rawValue: code)!
        var generator = SeededGenerator(seed: 0xD50F + UInt64(code.utf8.reduce(0) { $0 * 31 + Int($1) }))
        for _ in 0..<1500 {
            // Rates from 0.00001 to 50 000 target units per NOK, log-uniform-ish.
            let magnitude = Int64.random(in: 5...14, using: &generator)
            var scaled: Int64 = 1
            for _ in 0..<magnitude { scaled *= 10 }
            let rate = try FixedPointRate(scaled: Int64.random(in: scaled / 10...scaled, using: &generator))
            let send = Self.nok(Int64.random(in: 100_00...50_000_00, using: &generator))

            let reached = try Pricing.receiveAmount(for: send, in: currency, rate: rate)
            if reached.isPositive {
                let back = try Pricing.sendAmount(receiving: reached, currency: currency, rate: rate)
                #expect(back.minorUnits <= send.minorUnits)
                #expect(try Pricing.receiveAmount(for: back, in: currency, rate: rate) == reached)
            }

            let asked = Money(minorUnits: max(1, reached.minorUnits + Int64.random(in: -50...50, using: &generator)), currency: currency)
            let needed = try Pricing.sendAmount(receiving: asked, currency: currency, rate: rate)
            let got = try Pricing.receiveAmount(for: needed, in: currency, rate: rate)
            #expect(got.minorUnits >= asked.minorUnits)
            if needed.minorUnits > 0 {
                let oneLess = try Pricing.receiveAmount(for: Self.nok(needed.minorUnits - 1), in: currency, rate: rate)
                #expect(oneLess.minorUnits < asked.minorUnits)
            }
        }
    }

    @Test func receiveQuoteForwardConsistency() throws {
        var generator = SeededGenerator(seed: 42)
        let corridor = Self.germany
        for _ in 0..<2000 {
            let rate = try FixedPointRate(scaled: Int64.random(in: 700_000_000...1_000_000_000, using: &generator))
            let asked = Money(minorUnits: Int64.random(in: 12_00...3_400_00, using: &generator), currency: .eur)
            let quote = try Pricing.quote(receiving: asked, corridor: corridor, rate: rate, rateAsOf: "", now: 0)
            #expect(quote.receive == asked) // EUR at < 1 EUR per NOK: every cent is reachable
            let forward = try Pricing.quote(sending: quote.send, corridor: corridor, rate: rate, rateAsOf: "", now: 0)
            #expect(forward == quote)
        }
    }
}
