import Foundation
import Testing
@testable import DropCore

@Suite("AML configuration")
struct AMLConfigurationTests {
    @Test func defaultsAreValidAndDocumented() throws {
        let configuration = AMLConfiguration()
        try configuration.validate()
        #expect(configuration.alertScore == 40 && configuration.holdScore == 70)
        #expect(configuration.largeAmount == AML.nok(25_000_00))
        #expect(configuration.structuringThreshold == configuration.largeAmount)
        #expect(configuration.velocity24h.sumThreshold == SpendingLimits.maximumDaily)
        #expect(configuration.velocity30d.sumThreshold == AML.nok(100_000_00))
        #expect(configuration.newRecipientAmount == AML.nok(10_000_00))
        #expect(configuration.pepDecision == .alert)
        // Under the product maximum, so the rule can fire at all.
        #expect(configuration.largeAmount.minorUnits <= TransferAmountLimits.maximum.minorUnits)
    }

    @Test func validationNamesTheField() {
        func problem(_ change: (inout AMLConfiguration) -> Void) -> AMLConfigurationError? {
            var configuration = AMLConfiguration()
            change(&configuration)
            do { try configuration.validate(); return nil } catch { return error }
        }
        #expect(problem { $0.holdScore = 40 } == .invalid(field: "holdScore", reason: "must be above alertScore"))
        #expect(problem { $0.alertScore = 0 } == .invalid(field: "alertScore", reason: "must be positive"))
        #expect(problem { $0.largeAmount = Money(minorUnits: 25_000_00, currency: .eur) } == .invalid(field: "largeAmount", reason: "must be NOK"))
        #expect(problem { $0.structuringBand = AML.nok(30_000_00) }
            == .invalid(field: "structuringBand", reason: "must not exceed structuringThreshold"))
        #expect(problem { $0.velocity24h.window = 0 } == .invalid(field: "velocity24h.window", reason: "must be a positive number of seconds"))
        #expect(problem { $0.structuringCount = 1 } == .invalid(field: "structuringCount", reason: "must be at least 2"))
        #expect(problem { $0.pepScore = -1 } == .invalid(field: "pepScore", reason: "must not be negative"))
        #expect(problem { $0.pepDecision = .block } == .invalid(field: "pepDecision", reason: "a PEP is not refused; use hold"))
        #expect(problem { $0.unusualAmountMultiplier = 1 } == .invalid(field: "unusualAmountMultiplier", reason: "must be at least 2"))
    }

    @Test func roundTripsAsJSON() throws {
        var configuration = AMLConfiguration()
        configuration.highRiskCountries.insert(AML.country("AF"))
        configuration.pepDecision = .hold
        let decoded = try JSONDecoder().decode(AMLConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
    }

    @Test func inputsMustBeNOK() {
        #expect(throws: AMLInputError.notNOK(field: "amount")) {
            try AMLTransferContext(amount: Money(minorUnits: 100_00, currency: .eur), destination: .norway, recipientId: "r",
                                   isFirstTransferToRecipient: false, recipientCreatedAt: AML.now, time: AML.now)
        }
        #expect(throws: AMLInputError.negativeAmount(field: "amount")) {
            try AMLTransferContext(amount: AML.nok(-1), destination: .norway, recipientId: "r",
                                   isFirstTransferToRecipient: false, recipientCreatedAt: AML.now, time: AML.now)
        }
        #expect(throws: AMLInputError.notNOK(field: "history.amount")) {
            try AMLPastTransfer(amount: Money(minorUnits: 1, currency: .sek), destination: .norway, recipientId: "r",
                                time: AML.now, status: .completed)
        }
    }
}
