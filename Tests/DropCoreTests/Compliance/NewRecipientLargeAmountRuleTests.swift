import Foundation
import Testing
@testable import DropCore

@Suite("AML: new recipient and large amount")
struct NewRecipientLargeAmountRuleTests {
    let rule = NewRecipientLargeAmountRule()

    @Test func firstTransferAtTheThresholdFires() throws {
        let finding = try #require(AML.finding(rule, AML.context(10_000_00, firstTransfer: true)))
        #expect(finding.rule == .newRecipientLargeAmount)
        #expect(finding.score == 30)
        #expect(finding.reason == "First transfer to this recipient, amount 10000.00 NOK at or above 10000.00 NOK.")
    }

    @Test func oneØreBelowDoesNotFire() {
        #expect(AML.finding(rule, AML.context(9_999_99, firstTransfer: true, recipientAddedAgo: AML.minute)) == nil)
    }

    @Test func knownRecipientDoesNotFire() {
        #expect(AML.finding(rule, AML.context(50_000_00, firstTransfer: false, recipientAddedAgo: AML.minute)) == nil)
    }

    @Test func recipientAddedWithinADayWeighsMore() throws {
        let fresh = try #require(AML.finding(rule, AML.context(10_000_00, firstTransfer: true, recipientAddedAgo: 23 * AML.hour + 59 * AML.minute)))
        #expect(fresh.score == 40)
        #expect(fresh.reason == "First transfer to this recipient, amount 10000.00 NOK at or above 10000.00 NOK; recipient added less than 24 h ago.")
        #expect(AML.finding(rule, AML.context(10_000_00, firstTransfer: true, recipientAddedAgo: 24 * AML.hour))?.score == 30)
        #expect(AML.finding(rule, AML.context(10_000_00, firstTransfer: true, recipientAddedAgo: 24 * AML.hour + AML.minute))?.score == 30)
    }
}
