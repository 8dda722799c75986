import Foundation
import Testing
@testable import DropCore

/// QR payments join the customer's history: money moved counts whatever the channel, while the
/// customer's usual pattern is per channel, so remittances are judged as before.
@Suite("AML: remittances and QR payments in one history")
struct AMLChannelTests {
    static func qr(_ minor: Int64, ago: TimeInterval) -> AMLPastTransfer {
        try! AMLPastTransfer(amount: AML.nok(minor), destination: .norway, recipientId: "merchant-1", time: AML.now.addingTimeInterval(-ago),
                             status: .completed, channel: .qrPayment)
    }

    static func qrContext(_ minor: Int64) -> AMLTransferContext {
        try! AMLTransferContext(amount: AML.nok(minor), destination: .norway, recipientId: "merchant-1", isFirstTransferToRecipient: false,
                                recipientCreatedAt: AML.now.addingTimeInterval(-90 * AML.day), time: AML.now, channel: .qrPayment)
    }

    @Test func velocityAndStructuringCountQRPaymentsToo() throws {
        // Four café payments of 9 500 NOK in a day, then a remittance of 9 500: five in 24 h, and a split just under 10 000.
        let history = AML.history((1...4).map { Self.qr(9_500_00, ago: Double($0) * AML.hour) })
        #expect(try #require(AML.finding(VelocityRule.day, AML.context(9_500_00), history)).rule == .velocity24h)
        #expect(try #require(AML.finding(StructuringRule(), AML.context(9_500_00), history)).rule == .structuring)
    }

    @Test func theUsualPatternIsPerChannel() {
        // Many small café payments in Norway say nothing about a remittance to Poland…
        let cafe = AML.history((1...8).map { Self.qr(50_00, ago: Double($0) * AML.day) })
        #expect(AML.finding(UnusualCountryRule(), AML.context(6_000_00), cafe) == nil)
        #expect(AML.finding(UnusualAmountRule(), AML.context(6_000_00), cafe) == nil)
        // …nor do remittances abroad make a payment to a Norwegian shop "a new country".
        let abroad = AML.history((1...6).map { AML.past(1_000_00, ago: Double($0) * AML.day) })
        #expect(AML.finding(UnusualCountryRule(), Self.qrContext(100_00), abroad) == nil)
        // Within its own channel the pattern still speaks.
        #expect(AML.finding(UnusualAmountRule(), Self.qrContext(6_000_00), cafe)?.rule == .unusualAmount)
    }

    @Test func aRemittanceOnlyHistoryIsJudgedAsBefore() {
        let abroad = AML.history((1...6).map { AML.past(1_000_00, ago: Double($0) * AML.day) })
        #expect(AML.finding(UnusualCountryRule(), AML.context(to: "TR"), abroad)?.rule == .unusualCountry)
        #expect(AML.finding(UnusualAmountRule(), AML.context(5_000_00), abroad)?.rule == .unusualAmount)
        #expect(AML.context().channel == .remittance && AML.past(1, ago: 0).channel == .remittance)
    }
}
