import DropCore
import Foundation
import Testing

/// A busy day's payouts go out in messages the partner takes: none over Drop's byte cap, none over
/// the count cap, every payout in exactly one, in order.
struct PayoutMessageSplitTests {
    typealias F = PayoutFixtures

    static func payouts(_ count: Int) throws -> [PayoutInstruction] {
        try (0..<count).map { try F.sepa(String(format: "E2E%05d", $0), 10_000 + Int64($0), remittance: "Drop") }
    }

    static func messages(_ items: [PayoutInstruction], maximumCount: Int = PayoutBatch.maximumTransactions, maximumBytes: Int)
        throws -> [PayoutMessageSplit.Message<PayoutInstruction>] {
        var n = 0
        return try PayoutMessageSplit.messages(items, maximumCount: maximumCount, maximumBytes: maximumBytes) { run in
            n += 1
            return try F.batch(run, messageId: "M\(n)")
        }
    }

    @Test func aDayTooBigForOneMessageGoesInSeveralEachUnderTheCap() throws {
        let items = try Self.payouts(40)
        let whole = Pain001Writer().xml(for: try F.batch(items)).utf8.count
        let cap = whole / 3
        let messages = try Self.messages(items, maximumBytes: cap)
        #expect(messages.count > 1)
        #expect(messages.allSatisfy { $0.xml.utf8.count <= cap })
        #expect(messages.flatMap(\.items).map(\.endToEndId.value) == items.map(\.endToEndId.value))
        // What is stored is what was written for exactly those payouts.
        for message in messages {
            #expect(message.batch.instructions.map(\.endToEndId.value) == message.items.map(\.endToEndId.value))
            #expect(message.xml == Pain001Writer().xml(for: message.batch))
        }
    }

    @Test func aDayThatFitsStaysOneMessage() throws {
        let items = try Self.payouts(5)
        let messages = try Self.messages(items, maximumBytes: 1_000_000)
        #expect(messages.map(\.items.count) == [5])
    }

    @Test func theCountCapStillHolds() throws {
        let items = try Self.payouts(7)
        let messages = try Self.messages(items, maximumCount: 3, maximumBytes: 1_000_000)
        #expect(messages.map(\.items.count) == [3, 3, 1])
    }

    @Test func onePayoutLargerThanTheCapGoesAloneNotLost() throws {
        let items = try Self.payouts(3)
        let messages = try Self.messages(items, maximumBytes: 100)
        #expect(messages.map(\.items.count) == [1, 1, 1])
    }
}
