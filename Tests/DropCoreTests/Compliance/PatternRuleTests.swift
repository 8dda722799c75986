import Foundation
import Testing
@testable import DropCore

@Suite("AML: departure from the customer's usual pattern")
struct PatternRuleTests {
    /// Five earlier transfers to Poland with median 1 000 NOK.
    static let usual = AML.history([800_00, 900_00, 1_000_00, 1_200_00, 3_000_00].enumerated().map {
        AML.past($1, ago: Double($0 + 1) * 7 * AML.day)
    })

    @Test func amountAtFiveTimesTheMedianFires() throws {
        let finding = try #require(AML.finding(UnusualAmountRule(), AML.context(5_000_00), Self.usual))
        #expect(finding.rule == .unusualAmount)
        #expect(finding.score == 30)
        #expect(finding.reason == "Amount 5000.00 NOK is at least 5 times the median 1000.00 NOK of the customer's 5 transfers in the last 365 days.")
        #expect(AML.finding(UnusualAmountRule(), AML.context(4_999_99), Self.usual) == nil)
    }

    @Test func evenCountUsesTheMeanOfTheMiddleTwo() {
        // Median of 1 000 and 1 001 is 1 000.50; five times that is 5 002.50.
        let history = AML.history([1_000_00, 1_000_00, 1_000_00, 1_001_00, 1_001_00, 1_001_00].map { AML.past($0, ago: AML.day) })
        #expect(AML.finding(UnusualAmountRule(), AML.context(5_002_50), history) != nil)
        #expect(AML.finding(UnusualAmountRule(), AML.context(5_002_49), history) == nil)
    }

    @Test func smallAmountsAreNeverUnusual() {
        let tiny = AML.history((1...5).map { AML.past(100_00, ago: Double($0) * AML.day) })
        #expect(AML.finding(UnusualAmountRule(), AML.context(4_999_99), tiny) == nil)
        #expect(AML.finding(UnusualAmountRule(), AML.context(5_000_00), tiny) != nil)
    }

    @Test func needsAnEstablishedPattern() {
        let four = AML.history((1...4).map { AML.past(100_00, ago: Double($0) * AML.day) })
        #expect(AML.finding(UnusualAmountRule(), AML.context(40_000_00), four) == nil)
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "TR"), four) == nil)
        #expect(AML.finding(UnusualAmountRule(), AML.context(40_000_00), .empty) == nil)
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "TR"), .empty) == nil)
    }

    @Test func transfersOlderThanTheLookbackAreNotThePattern() {
        let old = AML.history((1...5).map { AML.past(100_00, ago: 365 * AML.day + Double($0) * AML.hour) })
        #expect(AML.finding(UnusualAmountRule(), AML.context(40_000_00), old) == nil)
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "TR"), old) == nil)
    }

    @Test func neverUsedCountryFires() throws {
        let finding = try #require(AML.finding(UnusualCountryRule(), AML.context(to: "TR"), Self.usual))
        #expect(finding.rule == .unusualCountry)
        #expect(finding.score == 20)
        #expect(finding.reason == "Destination TR is new for this customer; their 5 transfers in the last 365 days went to PL.")
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "PL"), Self.usual) == nil)
    }

    @Test func oneEarlierTransferToTheCountryIsEnoughToKnowIt() {
        let history = AML.history(Self.usual.transfers + [AML.past(100_00, ago: 300 * AML.day, to: "TR")])
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "TR"), history) == nil)
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "DE"), history)?.reason
            == "Destination DE is new for this customer; their 6 transfers in the last 365 days went to PL, TR.")
    }

    @Test func cancelledTransfersAreNoPattern() {
        let cancelled = AML.history((1...5).map { AML.past(1_000_00, ago: Double($0) * AML.day, to: "TR", status: .cancelled) })
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "DE"), cancelled) == nil)
    }
}
