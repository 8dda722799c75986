import Foundation
import Testing
@testable import DropCore

@Suite("AML: screening hits and customer risk")
struct ScreeningRuleTests {
    @Test func sanctionsHitBlocksEvenASmallTransfer() throws {
        let finding = try #require(AML.finding(SanctionsRule(), AML.context(100_00), AML.history(sanctioned: true)))
        #expect(finding.rule == .sanctions)
        #expect(finding.minimumDecision == .block)
        #expect(AML.finding(SanctionsRule(), AML.context(100_00), AML.history()) == nil)

        let assessment = AMLEngine.evaluate(AML.context(100_00), history: AML.history(sanctioned: true), configuration: AML.defaults)
        #expect(assessment.decision == .block)
        #expect(!assessment.decision.allowsPaymentInitiation)
        #expect(assessment.rules == [.sanctions])
    }

    @Test func sanctionsBlockEvenWithScoreSetToZero() {
        var configuration = AML.defaults
        configuration.sanctionsScore = 0
        let assessment = AMLEngine.evaluate(AML.context(100_00), history: AML.history(sanctioned: true), configuration: configuration)
        #expect(assessment.totalScore == 0)
        #expect(assessment.decision == .block)
    }

    @Test func pepAlertsByDefault() throws {
        let finding = try #require(AML.finding(PEPRule(), AML.context(100_00), AML.history(pep: true)))
        #expect(finding.rule == .pep)
        #expect(finding.minimumDecision == .alert)
        #expect(AML.finding(PEPRule(), AML.context(100_00), AML.history()) == nil)
        // The sandbox PEP (Per Politiker): KYC marks PEPs high risk, and the result is still an alert.
        let assessment = AMLEngine.evaluate(AML.context(1_000_00), history: AML.history(pep: true, risk: .high))
        #expect(assessment.rules == [.pep, .customerRisk])
        #expect(assessment.totalScore == 50)
        #expect(assessment.decision == .alert)
        #expect(assessment.decision.allowsPaymentInitiation && assessment.decision.raisesAlert)
    }

    @Test func pepCanBeConfiguredToHold() {
        var configuration = AML.defaults
        configuration.pepDecision = .hold
        let assessment = AMLEngine.evaluate(AML.context(100_00), history: AML.history(pep: true), configuration: configuration)
        #expect(assessment.totalScore == 30)
        #expect(assessment.decision == .hold)
    }

    @Test func pepWithOtherFindingsCanReachHoldByScore() {
        let assessment = AMLEngine.evaluate(AML.context(25_000_00), history: AML.history(pep: true))
        #expect(assessment.rules == [.largeAmount, .pep])
        #expect(assessment.totalScore == 70)
        #expect(assessment.decision == .hold)
    }

    @Test func customerRiskLevels() {
        #expect(AML.finding(CustomerRiskRule(), AML.context(), AML.history(risk: .low)) == nil)
        #expect(AML.finding(CustomerRiskRule(), AML.context(), AML.history(risk: .medium)) == nil)
        let high = AML.finding(CustomerRiskRule(), AML.context(), AML.history(risk: .high))
        #expect(high?.score == 20)
        #expect(high?.reason == "Customer is rated high risk.")
        var configuration = AML.defaults
        configuration.mediumRiskCustomerScore = 10
        #expect(AML.finding(CustomerRiskRule(), AML.context(), AML.history(risk: .medium), configuration)?.score == 10)
    }
}
