import Foundation
import Testing
@testable import DropCore

@Suite("AML engine")
struct AMLEngineTests {
    @Test func ordinaryTransferIsClear() {
        let assessment = AMLEngine.evaluate(AML.context(1_000_00), history: PatternRuleTests.usual)
        #expect(assessment.findings.isEmpty)
        #expect(assessment.totalScore == 0)
        #expect(assessment.decision == .clear)
        #expect(!assessment.decision.raisesAlert && assessment.decision.allowsPaymentInitiation)
    }

    @Test func oneModerateFindingAlerts() {
        let assessment = AMLEngine.evaluate(AML.context(25_000_00), history: .empty)
        #expect(assessment.rules == [.largeAmount])
        #expect(assessment.decision == .alert)
    }

    @Test func largeAmountToANewRecipientHolds() {
        let assessment = AMLEngine.evaluate(AML.context(25_000_00, firstTransfer: true), history: .empty)
        #expect(assessment.rules == [.largeAmount, .newRecipientLargeAmount])
        #expect(assessment.totalScore == 70)
        #expect(assessment.decision == .hold)
        #expect(!assessment.decision.allowsPaymentInitiation && assessment.decision.raisesAlert)
    }

    @Test func belowAlertScoreIsClear() {
        // First transfer of 10 000 NOK to a recipient added long ago: 30 < 40.
        let assessment = AMLEngine.evaluate(AML.context(10_000_00, firstTransfer: true), history: .empty)
        #expect(assessment.rules == [.newRecipientLargeAmount])
        #expect(assessment.totalScore == 30)
        #expect(assessment.decision == .clear)
    }

    @Test func scoreEdgesMapToDecisions() {
        func decision(_ scores: [Int]) -> AMLDecision {
            AMLEngine.assess(scores.map { AMLFinding(rule: .largeAmount, score: $0, reason: "") }, configuration: AML.defaults).decision
        }
        #expect(decision([]) == .clear)
        #expect(decision([39]) == .clear)
        #expect(decision([40]) == .alert)
        #expect(decision([20, 20]) == .alert)
        #expect(decision([69]) == .alert)
        #expect(decision([40, 30]) == .hold)
        #expect(decision([1000]) == .hold)  // score alone never blocks
        #expect(decision([Int.max, 1]) == .hold)  // saturates
        var configuration = AML.defaults
        configuration.alertScore = 10
        configuration.holdScore = 20
        #expect(AMLEngine.evaluate(AML.context(10_000_00, firstTransfer: true), history: .empty, configuration: configuration).decision == .hold)
    }

    @Test func minimumDecisionsRaiseButNeverLower() {
        let findings = [
            AMLFinding(rule: .largeAmount, score: 80, reason: ""),
            AMLFinding(rule: .pep, score: 0, reason: "", minimumDecision: .alert),
        ]
        #expect(AMLEngine.assess(findings, configuration: AML.defaults).decision == .hold)
    }

    @Test func structuringPatternHolds() {
        let history = AML.history([AML.past(24_000_00, ago: 30 * AML.hour), AML.past(24_500_00, ago: 10 * AML.hour)])
        let assessment = AMLEngine.evaluate(AML.context(23_800_00), history: history)
        // Two in the last 24 h add up to 48 300 NOK: structuring, not yet velocity.
        #expect(assessment.rules == [.structuring])
        #expect(assessment.decision == .alert)
        let closer = AML.history([AML.past(24_000_00, ago: 20 * AML.hour), AML.past(24_500_00, ago: 10 * AML.hour)])
        let both = AMLEngine.evaluate(AML.context(23_800_00), history: closer)
        #expect(both.rules == [.structuring, .velocity24h])
        #expect(both.totalScore == 80)
        #expect(both.decision == .hold)
    }

    @Test func everythingAtOnceIsOrderedByScoreThenRule() {
        let history = AML.history(
            (1...4).map { AML.past(24_000_00, ago: Double($0) * AML.hour) }
                + (1...20).map { AML.past(500_00, ago: Double($0) * AML.day) },
            pep: true, sanctioned: true, risk: .high
        )
        let assessment = AMLEngine.evaluate(AML.context(24_999_99, to: "IR", firstTransfer: true, recipientAddedAgo: AML.hour), history: history)
        #expect(assessment.rules == [
            .sanctions,  // 100
            .highRiskCountry,  // 70
            .structuring,  // 50
            .newRecipientLargeAmount,  // 40
            .pep,  // 30
            .velocity24h,  // 30
            .unusualAmount,  // 30
            .velocity30d,  // 25
            .customerRisk,  // 20
            .unusualCountry,  // 20
        ])
        #expect(assessment.totalScore == 415)
        #expect(assessment.decision == .block)
    }

    @Test func sameInputSameAssessment() {
        let history = AML.history((1...6).map { AML.past(Int64($0) * 1_000_00, ago: Double($0) * AML.hour, to: $0 % 2 == 0 ? "SE" : "DK") }, risk: .high)
        let context = AML.context(30_000_00, to: "KE", firstTransfer: true)
        let first = AMLEngine.evaluate(context, history: history)
        let shuffled = AMLCustomerHistory(transfers: history.transfers.reversed(), riskLevel: .high)
        #expect(AMLEngine.evaluate(context, history: shuffled) == first)
        #expect(first.decision == .hold)
    }

    @Test func everyRuleIsRegisteredOnceInOrder() {
        #expect(AMLEngine.rules.map(\.id) == AMLRuleID.allCases)
    }

    @Test func reasonsCarryNoIdsOrNames() {
        let history = AML.history(
            (1...24).map {
                AML.past(24_000_00, ago: Double($0) * AML.hour, recipientId: $0 % 2 == 0 ? AML.recipientId : AML.otherRecipientId,
                         transferId: "tx-\($0)-\(UUID().uuidString)")
            },
            pep: true, sanctioned: true, risk: .high
        )
        let context = AML.context(24_999_99, to: "MM", firstTransfer: true, recipientAddedAgo: AML.hour, transferId: AML.transferId)
        let assessment = AMLEngine.evaluate(context, history: history)
        #expect(assessment.findings.count >= 8)
        let forbidden = [AML.recipientId, AML.otherRecipientId, AML.transferId, "tx-"]
            + history.transfers.compactMap(\.transferId)
        for finding in assessment.findings {
            #expect(!finding.reason.isEmpty)
            for text in forbidden { #expect(!finding.reason.contains(text), "\(finding.rule): \(finding.reason)") }
            // Nothing shaped like a UUID, a national id (11 digits) or an account number slipped in.
            #expect(finding.reason.firstMatch(of: /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}/) == nil)
            #expect(finding.reason.firstMatch(of: /\d{11}/) == nil)
        }
    }

    @Test func assessmentRoundTripsAsJSON() throws {
        let assessment = AMLEngine.evaluate(AML.context(25_000_00, to: "KE"), history: AML.history(pep: true))
        let data = try JSONEncoder().encode(assessment)
        #expect(try JSONDecoder().decode(AMLAssessment.self, from: data) == assessment)
        #expect(assessment.rules == [.largeAmount, .highRiskCountry, .pep])
        #expect(assessment.decision == .hold)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"rule\":\"large_amount\""))
        #expect(json.contains("\"decision\":\"hold\""))
    }

    @Test func decisionsAreOrdered() {
        #expect(AMLDecision.allCases.sorted() == [.clear, .alert, .hold, .block])
        #expect([AMLDecision.alert, .block, .clear].max() == .block)
    }
}
