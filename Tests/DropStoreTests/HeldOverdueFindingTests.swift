import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// A transfer held for compliance after its NOK reached the partner (its payer lost their standing)
/// waits for a person: no job moves it, so the checker says when it has waited too long.
@Suite("Reconciliation: held with the NOK at the partner")
struct HeldOverdueFindingTests {
    @Test func aTransferHeldTwoDaysAfterItsMoneyArrivedIsAFinding() async throws {
        try await TestDatabase.with { database in
            let now = BalanceVersionTests.now
            try await KariSends.setUp(database)
            for (id, funds) in [("paid", true), ("unpaid", false)] {
                try await KariSends.transfer(id, amountMinor: 100_000, at: now, database)
                try await database.run("""
                    UPDATE transactions SET status = 'processing', funds_received_at = \(bind: funds ? now : nil) WHERE id = \(bind: id)
                    """)
                // What the standing job does when the payer loses their standing.
                let held = try TransferStatus.transition(from: .processing, on: .amlHeld).get()
                let applied = try await database.transaction { db in
                    try await TransactionStatusRepository.apply(held, to: id, actor: .system, at: now, on: db)
                }
                #expect(applied)
            }
            func overdue(after days: Double) async throws -> [ReconciliationFinding] {
                try await database.withConnection { try await ReconciliationRepository.findings(now: now.addingTimeInterval(days * 86_400), on: $0) }
                    .filter { $0.problem == .heldOverdue }
            }
            #expect(try await overdue(after: 1.9).isEmpty)
            let late = try await overdue(after: 3)
            #expect(late.map(\.transactionId) == ["paid"] && late.first?.status == .held)
        }
    }
}
