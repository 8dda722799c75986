import DropCore
import DropTestTools
import Foundation
import Testing

@Suite("Receiver tracking links")
struct ReceiverTrackingTests {
    @Test func tokensAre256RandomBitsInBase64URL() {
        var generator = SeededGenerator(seed: 11)
        let tokens = (0..<200).map { _ in ReceiverTracking.newToken(using: &generator) }
        #expect(Set(tokens).count == tokens.count)
        #expect(tokens.allSatisfy { $0.count == 43 && ReceiverTracking.isWellFormed($0) })
        #expect(!ReceiverTracking.isWellFormed(String(tokens[0].dropLast())) && !ReceiverTracking.isWellFormed(tokens[0] + "A"))
        #expect(!ReceiverTracking.isWellFormed(String(tokens[0].dropLast()) + "=") && !ReceiverTracking.isWellFormed(String(tokens[0].dropLast()) + "/"))
        #expect(!ReceiverTracking.isWellFormed(String(repeating: "ø", count: 43)))
    }

    @Test func aLinkWorksUntilThirtyDaysAfterTheTransferEnded() {
        let updated = Date(timeIntervalSince1970: 1_800_000_000), completed = updated.addingTimeInterval(-60)
        // Under way: no end, the link is open whenever it is asked.
        for status in [TransferStatus.pendingSCA, .processing, .held] {
            #expect(ReceiverTracking.endedAt(status: status, completedAt: nil, updatedAt: updated) == nil)
        }
        #expect(ReceiverTracking.isOpen(endedAt: nil, now: .distantFuture))
        // Arrived: counted from the arrival, not from a later bookkeeping change.
        #expect(ReceiverTracking.endedAt(status: .completed, completedAt: completed, updatedAt: updated) == completed)
        for status in [TransferStatus.failed, .cancelled, .expired, .refunded] {
            #expect(ReceiverTracking.endedAt(status: status, completedAt: nil, updatedAt: updated) == updated)
        }
        let thirtyDays = ReceiverTracking.lifetimeAfterEnd
        #expect(thirtyDays == 30 * 24 * 3600)
        #expect(ReceiverTracking.isOpen(endedAt: completed, now: completed.addingTimeInterval(thirtyDays - 1)))
        #expect(!ReceiverTracking.isOpen(endedAt: completed, now: completed.addingTimeInterval(thirtyDays)))
    }

    @Test func theReceiverSeesThePayersFirstNameOnly() {
        #expect(ReceiverTracking.payerFirstName(givenName: "Kari", fullName: "Kari Nordmann") == "Kari")
        #expect(ReceiverTracking.payerFirstName(givenName: "Anne-Marie Louise", fullName: nil) == "Anne-Marie")
        #expect(ReceiverTracking.payerFirstName(givenName: nil, fullName: "Ola Nordmann") == "Ola")
        #expect(ReceiverTracking.payerFirstName(givenName: nil, fullName: nil) == nil)
    }
}
