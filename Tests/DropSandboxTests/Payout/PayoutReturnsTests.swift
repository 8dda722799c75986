import DropCore
import DropProviders
import DropSandbox
import Foundation
import NIOConcurrencyHelpers
import Testing

/// A collection account in memory: what arrived per end-to-end id, and what was paid back.
final class CollectionAccountDouble: PayoutSandboxCollectionAccount {
    let received: [String: PayoutSandboxIncomingPayment]
    /// Accounts their bank no longer takes money into (closed).
    let closed: Set<String>
    let paidBack = NIOLockedValueBox<[(amountMinor: Int64, account: String)]>([])

    struct AccountClosed: Error {}

    init(received: [String: PayoutSandboxIncomingPayment], closed: Set<String> = []) {
        self.received = received
        self.closed = closed
    }

    func incoming(endToEndId: String) async -> PayoutSandboxIncomingPayment? { received[endToEndId] }

    func pay(_ amountMinor: Int64, to account: String) async throws {
        guard !closed.contains(account) else { throw AccountClosed() }
        paidBack.withLockedValue { $0.append((amountMinor, account)) }
    }
}

@Suite("Payout sandbox: returns and refusals that name transactions")
struct PayoutReturnsTests {
    static let sender = "12345678903"

    @Test func aReturnIsCheckedIdempotentAndCompletesAfterItsDelay() async throws {
        let collection = CollectionAccountDouble(received: ["E2E-RTN-1": PayoutSandboxIncomingPayment(amountMinor: 50_250, fromAccount: Self.sender)])
        try await PayoutLive.run(collection: collection) { live in
            // Nothing held for that id, more than arrived, or another account: refused.
            for (endToEndId, amount, account) in [("E2E-OTHER", Int64(100), Self.sender), ("E2E-RTN-1", 50_251, Self.sender), ("E2E-RTN-1", 50_250, "12345678911")] {
                await #expect(throws: PayoutError.returnRefused(code: "FUNDS_NOT_HELD")) {
                    try await live.client.requestReturn(returnId: "R-\(endToEndId)-\(amount)-\(account)", endToEndId: endToEndId, amountMinor: amount, toAccount: account)
                }
            }
            let first = try await live.client.requestReturn(returnId: "R1", endToEndId: "E2E-RTN-1", amountMinor: 50_250, toAccount: Self.sender)
            #expect(first.status == .pending && first.amountMinor == 50_250 && first.currency == "NOK")
            // The same client id again is the same return; another id for the same money is refused.
            let again = try await live.client.requestReturn(returnId: "R1", endToEndId: "E2E-RTN-1", amountMinor: 50_250, toAccount: Self.sender)
            #expect(again.id == first.id)
            await #expect(throws: PayoutError.returnRefused(code: "ALREADY_RETURNED")) {
                try await live.client.requestReturn(returnId: "R2", endToEndId: "E2E-RTN-1", amountMinor: 50_250, toAccount: Self.sender)
            }
            await #expect(throws: PayoutError.self) {
                try await live.client.requestReturn(returnId: "R1", endToEndId: "E2E-RTN-1", amountMinor: 100, toAccount: Self.sender)
            }

            #expect(try await live.client.returnStatus(id: first.id).status == .pending)
            live.clock.advance(seconds: 61)
            #expect(try await live.client.returnStatus(id: first.id).status == .completed)
            #expect(try await live.client.returnStatus(id: first.id).status == .completed)
            // Paid back once, however often it is read.
            #expect(collection.paidBack.withLockedValue { $0.map(\.amountMinor) } == [50_250])
            #expect(collection.paidBack.withLockedValue { $0.map(\.account) } == [Self.sender])
        }
    }

    /// A real partner's return can fail (the sender's account closed meanwhile): the sandbox says
    /// so with `failed` and the reason, and the client reads it rather than calling it unreadable.
    @Test func aReturnToAnAccountThatNoLongerTakesMoneyFails() async throws {
        let collection = CollectionAccountDouble(received: ["E2E-RTN-2": PayoutSandboxIncomingPayment(amountMinor: 50_250, fromAccount: Self.sender)],
                                                 closed: [Self.sender])
        try await PayoutLive.run(collection: collection) { live in
            let accepted = try await live.client.requestReturn(returnId: "R2", endToEndId: "E2E-RTN-2", amountMinor: 50_250, toAccount: Self.sender)
            live.clock.advance(seconds: 61)
            let failed = try await live.client.returnStatus(id: accepted.id)
            #expect(failed.status == .failed && failed.reason == "AC04" && failed.completedAt == nil)
            #expect(try await live.client.returnStatus(id: accepted.id) == failed)
            #expect(collection.paidBack.withLockedValue { $0.isEmpty })

            // An answer the client can't read is about that return, not the partner being down.
            live.faults.failNext(1, with: .garbage)
            await #expect(throws: PayoutError.returnAnswerInvalid(returnId: accepted.id, issue: "unreadable")) {
                try await live.client.returnStatus(id: accepted.id)
            }
        }
    }

    @Test func noReturnOfMoneyThatIsBeingPaidOut() async throws {
        let collection = CollectionAccountDouble(received: ["E2E-PAID": PayoutSandboxIncomingPayment(amountMinor: 10_000, fromAccount: Self.sender)])
        try await PayoutLive.run(collection: collection) { live in
            _ = try await live.client.submit(try PayoutData.batch(at: live.clock.now(), [try PayoutData.sepa("E2E-PAID", 95_00)]))
            await #expect(throws: PayoutError.returnRefused(code: "PAYOUT_NOT_REJECTED")) {
                try await live.client.requestReturn(returnId: "R-PAID", endToEndId: "E2E-PAID", amountMinor: 10_000, toAccount: Self.sender)
            }
        }
    }

    @Test func aRefusalNamesTheTransactionsItIsAbout() async throws {
        try await PayoutLive.run { live in
            let batch = try PayoutData.batch(at: live.clock.now(), [
                try PayoutData.sepa("E2E-OK", 10_00), try PayoutData.sepa("E2E-BAD", 20_00, name: "Hans Unreadable Muller"), try PayoutData.sepa("E2E-OK2", 30_00),
            ])
            do {
                _ = try await live.client.submit(batch)
                Issue.record("the message was accepted")
            } catch PayoutError.rejectedInstructions(_, let status, let reasons, let instructions) {
                #expect(status == 400)
                #expect(instructions.map(\.originalEndToEndId) == ["E2E-BAD"])
                #expect(instructions.first?.status == .rejected && instructions.first?.reasonCode == "FF01")
                #expect(reasons.contains { $0.code == "FF01" })
            }
        }
    }

    @Test func credentialAndClashFaults() async throws {
        try await PayoutLive.run { live in
            let batch = try PayoutData.batch(at: live.clock.now(), [try PayoutData.sepa("E2E-1", 10_00)])
            live.faults.failNext(1, with: .unauthorized)
            await #expect(throws: PayoutError.unauthorized(status: 401)) { try await live.client.submit(batch) }
            live.faults.failNext(1, with: .conflict)
            await #expect(throws: PayoutError.self) { try await live.client.submit(batch) }
            // Neither was taken: the message is accepted afterwards as new.
            #expect(try await live.client.submit(batch).replayed == false)
        }
    }
}
