import Testing
@testable import DropCore

@Suite("The tracker's steps for a payment")
struct TransferProgressTests {
    static func states(_ progress: TransferProgress) -> [String] {
        progress.steps.map { "\($0.step.rawValue):\($0.state.rawValue)" }
    }

    @Test func aRemittanceMovesThroughFourSteps() {
        #expect(Self.states(.init(remittance: true, status: .pendingSCA, wasApproved: false))
            == ["ordered:done", "approved:current", "on_the_way:upcoming", "arrived:upcoming"])
        #expect(Self.states(.init(remittance: true, status: .held, wasApproved: false))
            == ["ordered:done", "approved:current", "on_the_way:upcoming", "arrived:upcoming"])
        #expect(Self.states(.init(remittance: true, status: .processing, wasApproved: true))
            == ["ordered:done", "approved:done", "on_the_way:current", "arrived:upcoming"])
        #expect(Self.states(.init(remittance: true, status: .completed, wasApproved: true))
            == ["ordered:done", "approved:done", "on_the_way:done", "arrived:done"])
    }

    @Test func aQRPaymentGoesStraightToTheShop() {
        #expect(Self.states(.init(remittance: false, status: .processing, wasApproved: true))
            == ["ordered:done", "approved:done", "arrived:current"])
        #expect(Self.states(.init(remittance: false, status: .completed, wasApproved: true))
            == ["ordered:done", "approved:done", "arrived:done"])
    }

    @Test func anEndedPaymentShowsWhereItStoppedAndNothingAfter() {
        #expect(Self.states(.init(remittance: true, status: .cancelled, wasApproved: false)) == ["ordered:done", "approved:stopped"])
        #expect(Self.states(.init(remittance: true, status: .expired, wasApproved: false)) == ["ordered:done", "approved:stopped"])
        #expect(Self.states(.init(remittance: true, status: .failed, wasApproved: true)) == ["ordered:done", "approved:done", "on_the_way:stopped"])
        #expect(Self.states(.init(remittance: false, status: .failed, wasApproved: true)) == ["ordered:done", "approved:done", "arrived:stopped"])
    }
}
