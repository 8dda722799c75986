import DropCore
import Testing

@Suite("A rate as a person reads it: five significant digits, half-up")
struct FixedPointRateDisplayTests {
    @Test(arguments: [
        ("0.0851455137", "0.085146"), ("14.2309871", "14.231"), ("0.5", "0.5"), ("1", "1"),
        ("2600.123456", "2600.1"), ("123456.7", "123457"), ("0.0999999999", "0.1"), ("0.0000012345", "0.0000012345")
    ])
    func roundsToFiveSignificantDigits(_ rate: String, _ shown: String) throws {
        #expect(try FixedPointRate(parsing: rate).roundedForDisplay().description == shown)
    }

    @Test func writtenWithTheLanguagesDecimalSign() throws {
        let rate = try FixedPointRate(parsing: "0.3640500123")
        #expect(rate.displayText(for: .nb) == "0,36405" && rate.displayText(for: .en) == "0.36405" && rate.displayText(for: .pl) == "0,36405")
    }
}
