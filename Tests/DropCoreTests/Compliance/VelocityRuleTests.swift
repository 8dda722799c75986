import Foundation
import Testing
@testable import DropCore

@Suite("AML: velocity")
struct VelocityRuleTests {
    /// Four earlier small transfers at the given ages; the fifth is the one being created.
    static func four(lastAgo: TimeInterval) -> [AMLPastTransfer] {
        [AML.past(500_00, ago: AML.hour), AML.past(500_00, ago: 2 * AML.hour), AML.past(500_00, ago: 3 * AML.hour),
         AML.past(500_00, ago: lastAgo)]
    }

    @Test func fifthTransferWithin24hFires() throws {
        let history = AML.history(Self.four(lastAgo: 23 * AML.hour + 59 * AML.minute))
        let finding = try #require(AML.finding(VelocityRule.day, AML.context(500_00), history))
        #expect(finding.rule == .velocity24h)
        #expect(finding.score == 30)
        #expect(finding.reason == "5 transfers within 24 h (threshold 5), this transfer included.")
    }

    @Test func transferJustOutsideTheWindowDoesNotCount() {
        let history = AML.history(Self.four(lastAgo: 24 * AML.hour + AML.minute))
        #expect(AML.finding(VelocityRule.day, AML.context(500_00), history) == nil)
    }

    @Test func exactlyTheWindowAgoCounts() {
        let history = AML.history(Self.four(lastAgo: 24 * AML.hour))
        #expect(AML.finding(VelocityRule.day, AML.context(500_00), history) != nil)
    }

    @Test func sumWithin24hFiresAtThresholdNotOneØreBelow() throws {
        let earlier = AML.history([AML.past(30_000_00, ago: 23 * AML.hour + 59 * AML.minute)])
        let finding = try #require(AML.finding(VelocityRule.day, AML.context(20_000_00), earlier))
        #expect(finding.reason == "50000.00 NOK sent within 24 h (threshold 50000.00 NOK), this transfer included.")
        #expect(AML.finding(VelocityRule.day, AML.context(19_999_99), earlier) == nil)
        let outside = AML.history([AML.past(30_000_00, ago: 24 * AML.hour + AML.minute)])
        #expect(AML.finding(VelocityRule.day, AML.context(20_000_00), outside) == nil)
    }

    @Test func oneTransferAloneIsNotVelocity() {
        var configuration = AML.defaults
        configuration.velocity24h.sumThreshold = AML.nok(10_000_00)
        #expect(AML.finding(VelocityRule.day, AML.context(50_000_00), AML.history(), configuration) == nil)
    }

    @Test func bothCountAndSumAreReported() throws {
        let history = AML.history((1...4).map { AML.past(12_000_00, ago: Double($0) * AML.hour) })
        let finding = try #require(AML.finding(VelocityRule.day, AML.context(2_000_00), history))
        #expect(finding.reason == "5 transfers within 24 h (threshold 5); 50000.00 NOK sent within 24 h "
            + "(threshold 50000.00 NOK), this transfer included.")
    }

    @Test func thirtyDayWindowEdges() throws {
        // 19 earlier transfers, the oldest right at the edge: 20 with this one.
        func history(oldestAgo: TimeInterval) -> AMLCustomerHistory {
            AML.history((1...18).map { AML.past(100_00, ago: Double($0) * AML.day) } + [AML.past(100_00, ago: oldestAgo)])
        }
        let finding = try #require(AML.finding(VelocityRule.month, AML.context(100_00), history(oldestAgo: 30 * AML.day - AML.minute)))
        #expect(finding.rule == .velocity30d)
        #expect(finding.score == 25)
        #expect(finding.reason == "20 transfers within 30 days (threshold 20), this transfer included.")
        #expect(AML.finding(VelocityRule.month, AML.context(100_00), history(oldestAgo: 30 * AML.day + AML.minute)) == nil)
    }

    @Test func thirtyDaySum() {
        let history = AML.history([AML.past(50_000_00, ago: 29 * AML.day), AML.past(40_000_00, ago: 10 * AML.day)])
        #expect(AML.finding(VelocityRule.month, AML.context(10_000_00), history)?.rule == .velocity30d)
        #expect(AML.finding(VelocityRule.month, AML.context(9_999_99), history) == nil)
    }

    @Test func failedCancelledAndExpiredDoNotCount() {
        let uncounted = AML.history([
            AML.past(500_00, ago: AML.hour, status: .failed), AML.past(500_00, ago: AML.hour, status: .cancelled),
            AML.past(500_00, ago: AML.hour, status: .expired), AML.past(500_00, ago: AML.hour, status: .completed),
        ])
        #expect(AML.finding(VelocityRule.day, AML.context(500_00), uncounted) == nil)
        let counted = AML.history([
            AML.past(500_00, ago: AML.hour, status: .pendingSCA), AML.past(500_00, ago: AML.hour, status: .processing),
            AML.past(500_00, ago: AML.hour, status: .held), AML.past(500_00, ago: AML.hour, status: .refunded),
        ])
        #expect(AML.finding(VelocityRule.day, AML.context(500_00), counted) != nil)
    }

    @Test func anEndedTransferWhoseMoneyLeftAllTheSameCounts() {
        // Settled by the bank after Drop had ended them: the money left the customer's account.
        let settled = AML.history([
            AML.past(500_00, ago: AML.hour, status: .failed, fundsReceived: true), AML.past(500_00, ago: AML.hour, status: .cancelled, fundsReceived: true),
            AML.past(500_00, ago: AML.hour, status: .expired, fundsReceived: true), AML.past(500_00, ago: AML.hour, status: .completed),
        ])
        #expect(AML.finding(VelocityRule.day, AML.context(500_00), settled) != nil)
        // The same for structuring: two earlier ones just under the line, one of them cancelled but paid.
        let splits = AML.history([AML.past(24_000_00, ago: AML.hour), AML.past(24_000_00, ago: 2 * AML.hour, status: .cancelled, fundsReceived: true)])
        #expect(AML.finding(StructuringRule(), AML.context(24_000_00), splits)?.rule == .structuring)
        let unpaid = AML.history([AML.past(24_000_00, ago: AML.hour), AML.past(24_000_00, ago: 2 * AML.hour, status: .cancelled)])
        #expect(AML.finding(StructuringRule(), AML.context(24_000_00), unpaid) == nil)
    }

    @Test func theTransferItselfIsNotCountedTwice() {
        let history = AML.history(
            (1...3).map { AML.past(500_00, ago: Double($0) * AML.hour) } + [AML.past(500_00, ago: 0, transferId: AML.transferId)]
        )
        #expect(AML.finding(VelocityRule.day, AML.context(500_00, transferId: AML.transferId), history) == nil)
        #expect(AML.finding(VelocityRule.day, AML.context(500_00), history) != nil)
    }

    @Test func theFindingNamesTheTransfersInTheWindowOldestFirst() throws {
        let history = AML.history([
            AML.past(500_00, ago: AML.hour, transferId: "d"), AML.past(500_00, ago: 3 * AML.hour, transferId: "b"),
            AML.past(500_00, ago: 2 * AML.hour, transferId: "c"), AML.past(500_00, ago: 4 * AML.hour, transferId: "a"),
            AML.past(500_00, ago: 25 * AML.hour, transferId: "outside"),
        ])
        let finding = try #require(AML.finding(VelocityRule.day, AML.context(500_00), history))
        #expect(finding.transferIds == ["a", "b", "c", "d"])
        // A finding about this transfer alone names none.
        #expect(try #require(AML.finding(LargeAmountRule(), AML.context(30_000_00), AML.history())).transferIds.isEmpty)
    }
}
