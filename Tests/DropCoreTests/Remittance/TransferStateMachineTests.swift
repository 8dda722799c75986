import DropTestTools
import Testing
@testable import DropCore

@Suite("Transfer state machine")
struct TransferStateMachineTests {
    /// The legal moves, restated independently of the production switch.
    static let legal: [TransferStatus: [TransferEvent: TransferStatus]] = [
        .pendingSCA: [.scaApproved: .processing, .scaDenied: .cancelled, .bankRejected: .failed, .insufficientFunds: .failed,
                      .scaTimedOut: .expired, .initiationFailed: .failed, .payeeUnavailable: .cancelled, .payerUnavailable: .cancelled,
                      .cancelledByUser: .cancelled, .cancelledByBank: .cancelled, .amlHeld: .held, .executionRefused: .failed],
        .held: [.amlReleased: .pendingSCA, .amlReleasedAfterPayment: .processing, .amlRejected: .failed, .paymentLinkExpired: .expired],
        .processing: [.amlHeld: .held, .payoutSettled: .completed, .payoutFailed: .failed, .bankRejected: .failed, .insufficientFunds: .failed,
                      .scaDenied: .cancelled, .cancelledByBank: .cancelled],
        .completed: [.refundedByPartner: .refunded],
        .failed: [.refundedByPartner: .refunded],
        // NOK that reached the partner after the transfer ended goes back, and only then is it `refunded`.
        .expired: [.refundedByPartner: .refunded],
        .cancelled: [.refundedByPartner: .refunded],
    ]

    static let pairs: [(TransferStatus, TransferEvent)] = TransferStatus.allCases.flatMap { status in
        TransferEvent.allCases.map { (status, $0) }
    }

    @Test(arguments: pairs)
    func everyPair(_ status: TransferStatus, _ event: TransferEvent) {
        let result = TransferStatus.transition(from: status, on: event)
        switch (result, Self.legal[status]?[event]) {
        case let (.success(transition), expected?):
            #expect(transition.to == expected)
            #expect(transition.from == status && transition.event == event)
            #expect(!transition.reason.isEmpty)
        case let (.failure(error), nil):
            #expect(error == IllegalTransition(from: status, event: event))
        case let (result, expected):
            Issue.record("\(status) on \(event): got \(result), expected \(String(describing: expected))")
        }
    }

    @Test(arguments: TransferStatus.allCases)
    func terminalStatesStayTerminal(_ status: TransferStatus) {
        let anyLegal = TransferEvent.allCases.contains { event in
            // The partner returning the NOK of a failed, expired or cancelled transfer is the one move out of a terminal state.
            !([.failed, .expired, .cancelled].contains(status) && event == .refundedByPartner)
                && (try? TransferStatus.transition(from: status, on: event).get()) != nil
        }
        #expect(anyLegal == !status.isTerminal)
    }

    @Test func endedTransfersAreRefundedOnlyByThePartnersReturn() throws {
        for status in [TransferStatus.expired, .cancelled, .failed] {
            let transition = try TransferStatus.transition(from: status, on: .refundedByPartner).get()
            #expect(transition.to == .refunded && transition.reason.contains("returned to your account"))
        }
        // Nothing else brings an ended transfer to `refunded`.
        for event in TransferEvent.allCases where event != .refundedByPartner {
            #expect((try? TransferStatus.transition(from: .expired, on: event).get()) == nil)
            #expect((try? TransferStatus.transition(from: .cancelled, on: event).get()) == nil)
        }
    }

    @Test func rawValuesMatchTheAPI() {
        #expect(TransferStatus.allCases.map(\.rawValue) == [
            "pending_sca", "processing", "held", "completed", "failed", "cancelled", "expired", "refunded",
        ])
    }

    @Test(arguments: [
        ("RCVD", nil), ("PDNG", nil), ("ACTC", TransferEvent.scaApproved), ("ACCP", .scaApproved), ("ACFC", .scaApproved),
        ("ACSP", .scaApproved), ("ACSC", .scaApproved), ("ACCC", .scaApproved), ("ACWC", .scaApproved),
        ("ACWP", .scaApproved), ("RJCT", .bankRejected), ("CANC", .cancelledByBank), ("PATC", nil), ("BLCK", .bankRejected),
        ("PART", nil), ("ACFW", nil), ("ACIS", .scaApproved), ("ACPD", .scaApproved), ("PRES", nil),
        ("RCVC", nil), ("RVCM", nil), ("RVNC", nil),
    ] as [(String, TransferEvent?)])
    func bankStatusCodes(_ code: String, _ event: TransferEvent?) {
        #expect(PaymentStatusCode(rawValue: code)?.bankEvent == event)
        #expect(PaymentStatusCode(rawValue: code) != nil)
    }

    @Test func payoutStatusCodes() {
        #expect(PaymentStatusCode.acceptedCreditSettlementCompleted.payoutEvent == .payoutSettled)
        #expect(PaymentStatusCode.rejected.payoutEvent == .payoutFailed)
        #expect(PaymentStatusCode.cancelled.payoutEvent == .payoutFailed)
        #expect(PaymentStatusCode.acceptedSettlementInProcess.payoutEvent == nil)
        #expect(PaymentStatusCode.blocked.payoutEvent == .payoutFailed)
        #expect(PaymentStatusCode.partiallyAccepted.payoutEvent == nil)
        // Progress, not outcomes: a cheque issued, the clearing's acceptance, Verification of Payee.
        for code in [PaymentStatusCode.acceptedChequeIssued, .acceptedClearingProcessed, .payeeVerifiedMatching,
                     .payeeVerifiedMismatching, .payeeVerificationNotCompleted] {
            #expect(code.payoutEvent == nil)
        }
        #expect(PaymentStatusCode.allCases.count == 22)
    }

    @Test func applyingBankStatuses() {
        #expect(TransferStatus.pendingSCA.applying(bankStatus: .received) == .unchanged)
        guard case let .moved(approved) = TransferStatus.pendingSCA.applying(bankStatus: .acceptedTechnicalValidation) else {
            Issue.record("expected a move")
            return
        }
        #expect(approved.to == .processing)
        // Later progress reports and repeated webhooks change nothing.
        #expect(TransferStatus.processing.applying(bankStatus: .acceptedSettlementCompleted) == .unchanged)
        #expect(TransferStatus.completed.applying(bankStatus: .acceptedCreditSettlementCompleted) == .unchanged)
        guard case let .moved(rejected) = TransferStatus.processing.applying(bankStatus: .rejected) else {
            Issue.record("expected a move")
            return
        }
        #expect(rejected.to == .failed)
        #expect(TransferStatus.completed.applying(bankStatus: .rejected) == .illegal(IllegalTransition(from: .completed, event: .bankRejected)))
        #expect(TransferStatus.held.applying(bankStatus: .acceptedTechnicalValidation) == .illegal(IllegalTransition(from: .held, event: .scaApproved)))
    }

    /// A rejection's reason code says who stopped it: the person at their bank (cancelled), an empty
    /// account (failed, said so), or the bank (failed).
    @Test func aRejectionsReasonSaysWhetherThePersonStoppedIt() {
        for reason in ["MS02", "ds02", "CUST"] {
            guard case let .moved(stopped) = TransferStatus.pendingSCA.applying(bankStatus: .rejected, reason: reason) else {
                Issue.record("\(reason): expected a move")
                continue
            }
            #expect(stopped.to == .cancelled && stopped.event == .scaDenied && stopped.reason.contains("No money has moved"))
        }
        guard case let .moved(empty) = TransferStatus.processing.applying(bankStatus: .rejected, reason: "AM04") else {
            Issue.record("AM04: expected a move")
            return
        }
        #expect(empty.to == .failed && empty.event == .insufficientFunds && empty.reason.contains("not enough money"))
        #expect(PaymentStatusCode.rejected.bankEvent(reason: "AC04") == .bankRejected && PaymentStatusCode.rejected.bankEvent(reason: nil) == .bankRejected)
        // A reason on anything but a rejection changes nothing.
        #expect(PaymentStatusCode.acceptedSettlementCompleted.bankEvent(reason: "MS02") == .scaApproved)
        #expect(PaymentStatusCode.cancelled.bankEvent(reason: "AM04") == .cancelledByBank)
    }

    @Test func aRejectionAfterTheApprovalWindowIsAnExpiryNotAFailure() {
        func outcome(_ status: TransferStatus, _ reason: String? = nil, closed: Bool) -> TransferStatus? {
            guard case let .moved(move) = status.applying(bankStatus: .rejected, reason: reason, approvalWindowClosed: closed) else { return nil }
            return move.to
        }
        // Nobody approved in time: the bank rejects it, with whatever reason code it uses for that.
        #expect(outcome(.pendingSCA, closed: true) == .expired && outcome(.pendingSCA, "AB05", closed: true) == .expired)
        // Inside the window a rejection is a failure; the person stopping it or an empty account keep their meaning.
        #expect(outcome(.pendingSCA, closed: false) == .failed)
        #expect(outcome(.pendingSCA, "MS02", closed: true) == .cancelled && outcome(.pendingSCA, "AM04", closed: true) == .failed)
        // Once approved, a rejection is the bank's failure whatever the time.
        #expect(outcome(.processing, closed: true) == .failed)
    }

    @Test func aCancellationReportedAfterTheApprovalWindowIsAnExpiry() {
        func outcome(_ status: TransferStatus, closed: Bool) -> TransferStatus? {
            guard case let .moved(move) = status.applying(bankStatus: .cancelled, approvalWindowClosed: closed) else { return nil }
            return move.to
        }
        // Drop's expiry cancels at the bank; the bank's report of it may be applied first.
        #expect(outcome(.pendingSCA, closed: true) == .expired)
        // Inside the window the bank (or the payer at the bank) cancelled it.
        #expect(outcome(.pendingSCA, closed: false) == .cancelled)
    }

    @Test func endToEndIdFromUUID() throws {
        let id = try EndToEndId.make(from: "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        #expect(id.value == "3F2504E04F8911D39A0C0305E82C3301")
        #expect(id.value.count <= EndToEndId.maximumLength)
        #expect(EndToEndId.isValid(id.value))
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let hex = (0..<32).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }
            var uuid = hex
            for index in [8, 13, 18, 23] { uuid.insert("-", at: index) }
            #expect(EndToEndId.isValid(try EndToEndId.make(from: uuid.joined()).value))
        }
    }

    @Test(arguments: ["", "3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e04f8911d39a0c0305e82c3301",
                      "3f2504e0-4f89-11d3-9a0c-0305e82c330g", "3f2504e0_4f89-11d3-9a0c-0305e82c3301"])
    func endToEndIdRefusesNonUUIDs(_ text: String) {
        #expect(throws: ValidationIssue.self) { try EndToEndId.make(from: text) }
    }

    @Test func endToEndIdValidity() {
        #expect(!EndToEndId.isValid(String(repeating: "A", count: 36)))
        #expect(EndToEndId.isValid(String(repeating: "A", count: 35)))
        #expect(!EndToEndId.isValid("DROP/1"))
        #expect(!EndToEndId.isValid(""))
    }
}

@Suite("A bank's cancellation")
struct BankCancellationTests {
    /// Issue 16: a payment the bank cancelled after approval read "failed" to the person.
    @Test func aBankCancellationAfterApprovalIsCancelledNotFailed() throws {
        let moved = TransferStatus.processing.applying(bankStatus: .cancelled)
        guard case .moved(let transition) = moved else { Issue.record("CANC after approval moved nothing: \(moved)"); return }
        #expect(transition.to == .cancelled)
        guard case .moved(let before) = TransferStatus.pendingSCA.applying(bankStatus: .cancelled) else { Issue.record("CANC before approval"); return }
        #expect(before.to == .cancelled)
    }
}
