import Foundation
import Testing
@testable import DropCore

@Suite("AML: structuring")
struct StructuringRuleTests {
    let rule = StructuringRule()

    @Test func threeJustUnderWithin48hFire() throws {
        let history = AML.history([AML.past(24_500_00, ago: 20 * AML.hour), AML.past(23_000_00, ago: 47 * AML.hour + 59 * AML.minute)])
        let finding = try #require(AML.finding(rule, AML.context(24_999_99), history))
        #expect(finding.rule == .structuring)
        #expect(finding.score == 50)
        #expect(finding.reason == "3 transfers within 48 h between 22500.00 NOK and just under 25000.00 NOK, this transfer included.")
    }

    @Test func spreadOutDoesNotFire() {
        let history = AML.history([AML.past(24_500_00, ago: 30 * AML.hour), AML.past(24_500_00, ago: 48 * AML.hour + AML.minute)])
        #expect(AML.finding(rule, AML.context(24_500_00), history) == nil)
    }

    @Test func twoAreNotEnough() {
        #expect(AML.finding(rule, AML.context(24_500_00), AML.history([AML.past(24_500_00, ago: AML.hour)])) == nil)
    }

    @Test func bandEdges() {
        let two = AML.history([AML.past(22_500_00, ago: AML.hour), AML.past(22_500_00, ago: 2 * AML.hour)])
        // Lower edge is inside the band, one øre below is not.
        #expect(AML.finding(rule, AML.context(22_500_00), two) != nil)
        #expect(AML.finding(rule, AML.context(22_499_99), two) == nil)
        // The threshold itself is not "just under" (it is a large amount).
        #expect(AML.finding(rule, AML.context(25_000_00), two) == nil)
        // Earlier transfers outside the band do not count.
        let outside = AML.history([AML.past(22_499_99, ago: AML.hour), AML.past(25_000_00, ago: 2 * AML.hour)])
        #expect(AML.finding(rule, AML.context(24_000_00), outside) == nil)
    }

    @Test func thresholdBandWindowAndCountAreConfigurable() throws {
        var configuration = AML.defaults
        configuration.structuringThreshold = AML.nok(10_000_00)
        configuration.structuringBand = AML.nok(1_000_00)
        configuration.structuringWindow = 7 * AML.day
        configuration.structuringCount = 4
        let history = AML.history([9_500_00, 9_000_00, 9_999_99].enumerated().map { AML.past($1, ago: Double($0 + 1) * 2 * AML.day) })
        let finding = try #require(AML.finding(rule, AML.context(9_800_00), history, configuration))
        #expect(finding.reason == "4 transfers within 7 days between 9000.00 NOK and just under 10000.00 NOK, this transfer included.")
        #expect(AML.finding(rule, AML.context(9_800_00), history) == nil)
    }

    @Test func theSecondLineCatchesSplitsJustUnderTenThousand() throws {
        // Five times 9 900 NOK in an hour: under every other rule's line, so structuring must see it.
        let four = AML.history((1...4).map { AML.past(9_900_00, ago: Double($0) * 10 * AML.minute) })
        let finding = try #require(AML.finding(rule, AML.context(9_900_00), four))
        #expect(finding.reason == "5 transfers within 48 h between 9000.00 NOK and just under 10000.00 NOK, this transfer included.")
        // The band's edges, and the line switched off.
        let two = AML.history([AML.past(9_000_00, ago: AML.hour), AML.past(9_999_99, ago: 2 * AML.hour)])
        #expect(AML.finding(rule, AML.context(9_000_00), two) != nil)
        #expect(AML.finding(rule, AML.context(8_999_99), two) == nil)
        #expect(AML.finding(rule, AML.context(10_000_00), two) == nil)
        var off = AML.defaults
        off.secondaryStructuringThreshold = nil
        #expect(AML.finding(rule, AML.context(9_900_00), four, off) == nil)
    }

    @Test func theFindingNamesTheEarlierPartsOldestFirst() throws {
        // What the officer checks and reports: the parts inside the band and the window, not the others.
        let history = AML.history([
            AML.past(24_000_00, ago: AML.hour, transferId: "b"), AML.past(23_000_00, ago: 30 * AML.hour, transferId: "a"),
            AML.past(5_000_00, ago: 2 * AML.hour, transferId: "small"), AML.past(24_000_00, ago: 49 * AML.hour, transferId: "old"),
        ])
        let finding = try #require(AML.finding(rule, AML.context(24_500_00), history))
        #expect(finding.transferIds == ["a", "b"])
    }
}
