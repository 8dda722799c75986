import Foundation
import Testing
@testable import DropCore

@Suite("AML: large amount")
struct LargeAmountRuleTests {
    let rule = LargeAmountRule()

    @Test func firesExactlyAtTheThreshold() throws {
        let finding = try #require(AML.finding(rule, AML.context(25_000_00)))
        #expect(finding.rule == .largeAmount)
        #expect(finding.rule.rawValue == "large_amount")
        #expect(finding.score == 40)
        #expect(finding.minimumDecision == .clear)
        #expect(finding.reason == "Amount 25000.00 NOK is at or above the large-transfer threshold of 25000.00 NOK.")
    }

    @Test func oneØreBelowDoesNotFire() {
        #expect(AML.finding(rule, AML.context(24_999_99)) == nil)
    }

    @Test func firesAboveUpToTheProductMaximum() {
        #expect(AML.finding(rule, AML.context(25_000_01)) != nil)
        #expect(AML.finding(rule, AML.context(50_000_00)) != nil)
    }

    @Test func thresholdAndScoreComeFromConfiguration() throws {
        var configuration = AML.defaults
        configuration.largeAmount = AML.nok(10_000_00)
        configuration.largeAmountScore = 55
        #expect(AML.finding(rule, AML.context(9_999_99), AML.history(), configuration) == nil)
        #expect(try #require(AML.finding(rule, AML.context(10_000_00), AML.history(), configuration)).score == 55)
    }
}
