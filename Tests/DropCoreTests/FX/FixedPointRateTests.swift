import DropCore
import Foundation
import Testing

@Suite("FixedPointRate")
struct FixedPointRateTests {
    @Test("parses plain decimals exactly", arguments: [
        ("10.7265", Int64(107_265_000_000)),
        ("0.09323", 932_300_000),
        ("1", 10_000_000_000),
        ("107.2", 1_072_000_000_000),
        ("0.0000000001", 1),
        ("1.000000000000000", 10_000_000_000), // zeros past the 10th decimal change nothing
        ("007.50", 75_000_000_000),
        ("922337203.6854775807", Int64.max),
    ])
    func parsesExactly(text: String, scaled: Int64) throws {
        #expect(try FixedPointRate(parsing: text).scaled == scaled)
    }

    @Test("rejects what is not a plain positive decimal", arguments: [
        ("", FixedPointRateError.empty),
        ("-1", .negative),
        ("-0.5", .negative),
        ("0", .notPositive),
        ("0.000", .notPositive),
        ("1e5", .exponentNotAllowed),
        ("1.5E-3", .exponentNotAllowed),
        ("0.00000000001", .tooManyFractionDigits),
        ("1.00000000005", .tooManyFractionDigits),
        ("922337203.6854775808", .overflow),
        ("99999999999999999999999", .overflow),
        ("abc", .malformed("abc")),
        ("1.2.3", .malformed("1.2.3")),
        (".5", .malformed(".5")),
        ("5.", .malformed("5.")),
        (" 1", .malformed(" 1")),
        ("+1", .malformed("+1")),
        ("1,5", .malformed("1,5")),
        ("NaN", .malformed("NaN")),
        ("١٢", .malformed("١٢")),
    ])
    func rejects(text: String, error: FixedPointRateError) {
        #expect(throws: error) { try FixedPointRate(parsing: text) }
    }

    @Test("description is the shortest exact decimal", arguments: [
        ("10.7265000", "10.7265"),
        ("007.5", "7.5"),
        ("0.09323", "0.09323"),
        ("1.0", "1"),
        ("100", "100"),
        ("0.0000000001", "0.0000000001"),
        ("0.1000000000", "0.1"),
        ("922337203.6854775807", "922337203.6854775807"),
    ])
    func description(text: String, expected: String) throws {
        #expect(try FixedPointRate(parsing: text).description == expected)
    }

    @Test("description parses back to the same value")
    func descriptionRoundTrips() throws {
        // A deterministic spread of scaled values from 1 to Int64.max.
        var value: UInt64 = 0x9E37_79B9_7F4A_7C15
        for exponent in 0..<63 {
            value = value &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let scaled = Int64(max(1, value % (UInt64(1) << exponent + 1)))
            let rate = try FixedPointRate(scaled: scaled)
            #expect(try FixedPointRate(parsing: rate.description) == rate)
        }
    }

    @Test("scaled initialiser refuses zero and negatives")
    func scaledInitialiser() {
        #expect(throws: FixedPointRateError.notPositive) { try FixedPointRate(scaled: 0) }
        #expect(throws: FixedPointRateError.negative) { try FixedPointRate(scaled: -5) }
    }

    @Test("orders by value")
    func comparable() throws {
        let values = try ["10.7265", "0.09323", "107.2", "1"].map { try FixedPointRate(parsing: $0) }
        #expect(values.sorted().map(\.description) == ["0.09323", "1", "10.7265", "107.2"])
    }

    @Test("encodes as a JSON string and decodes only strings")
    func codable() throws {
        let rate = try FixedPointRate(parsing: "10.7265")
        let json = try JSONEncoder().encode([rate])
        #expect(String(decoding: json, as: UTF8.self) == #"["10.7265"]"#)
        #expect(try JSONDecoder().decode([FixedPointRate].self, from: json) == [rate])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([FixedPointRate].self, from: Data("[10.7265]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([FixedPointRate].self, from: Data(#"["1e3"]"#.utf8)) }
    }

    @Test("inverse is 1/x, half-up at 10 decimals", arguments: [
        ("8", "0.125"),
        ("3", "0.3333333333"),
        ("1.5", "0.6666666667"),
        ("11.7", "0.0854700855"),
        ("0.0402", "24.8756218905"),
        ("0.000402", "2487.5621890547"),
        ("1", "1"),
    ])
    func inverse(rate: String, expected: String) throws {
        #expect(try FixedPointRate(parsing: rate).inverse().description == expected)
    }

    @Test("inverse honours scale and rounding rule")
    func inverseScaleAndRounding() throws {
        let eleven = try FixedPointRate(parsing: "11.7")
        #expect(try eleven.inverse(scale: 4).description == "0.0855")
        #expect(try eleven.inverse(scale: 4, rounding: .down).description == "0.0854")
        let three = try FixedPointRate(parsing: "3")
        #expect(try three.inverse(rounding: .up).description == "0.3333333334")
        #expect(try three.inverse(rounding: .down).description == "0.3333333333")
        #expect(throws: FixedPointRateError.invalidScale(11)) { try three.inverse(scale: 11) }
        // 1/3000 at 2 decimals is 0.00: not a rate.
        #expect(throws: FixedPointRateError.notPositive) { try FixedPointRate(parsing: "3000").inverse(scale: 2) }
    }

    @Test("inverse never traps at the extremes")
    func inverseOverflowSafety() throws {
        // 1/1e-10 = 1e10 is beyond the ~9.2e8 range: a typed error, not a crash.
        #expect(throws: FixedPointRateError.overflow) { try FixedPointRate(scaled: 1).inverse() }
        #expect(throws: FixedPointRateError.overflow) { try FixedPointRate(scaled: 10).inverse() }
        // Largest inverse that fits: 1/0.000000002 = 5e8.
        #expect(try FixedPointRate(parsing: "0.000000002").inverse().description == "500000000")
        // The largest rate inverts to about 1.08e-9.
        let largest = try FixedPointRate(scaled: .max)
        #expect(try largest.inverse().scaled == 11)
        #expect(throws: FixedPointRateError.notPositive) { try largest.inverse(scale: 8) }
    }

    @Test("halfEven and halfUp differ only on ties")
    func roundingRules() throws {
        let tie = try FixedPointRate(parsing: "0.125")
        #expect(try tie.rounded(scale: 2, rounding: .halfUp).description == "0.13")
        #expect(try tie.rounded(scale: 2, rounding: .halfEven).description == "0.12")
        #expect(try FixedPointRate(parsing: "0.135").rounded(scale: 2, rounding: .halfEven).description == "0.14")
        #expect(try FixedPointRate(parsing: "0.1251").rounded(scale: 2, rounding: .halfEven).description == "0.13")
        #expect(try tie.rounded(scale: 10).description == "0.125")
    }

    @Test("divided(by:) turns a per-100 value into a per-unit value")
    func dividedBy() throws {
        #expect(try FixedPointRate(parsing: "107.2").divided(by: 100).description == "1.072")
        #expect(try FixedPointRate(parsing: "0.040213").divided(by: 100).description == "0.00040213")
        #expect(try FixedPointRate(parsing: "1").divided(by: 3).description == "0.3333333333")
        #expect(try FixedPointRate(parsing: "2").divided(by: 3).description == "0.6666666667")
        #expect(throws: FixedPointRateError.invalidDivisor(0)) { try FixedPointRate(parsing: "1").divided(by: 0) }
        #expect(throws: FixedPointRateError.notPositive) { try FixedPointRate(scaled: 1).divided(by: 100) }
    }

    @Test("a quote derives units per NOK and round-trips through JSON")
    func exchangeRateQuote() throws {
        let quote = try ExchangeRateQuote(
            quote: "EUR", nokPerUnit: FixedPointRate(parsing: "11.7"), asOf: "2026-11-20", source: "Norges Bank"
        )
        #expect(quote.base == "NOK")
        #expect(quote.unitsPerNok.description == "0.0854700855")
        let json = try JSONEncoder().encode(quote)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""nokPerUnit":"11.7""#))
        #expect(try JSONDecoder().decode(ExchangeRateQuote.self, from: json) == quote)
    }
}
