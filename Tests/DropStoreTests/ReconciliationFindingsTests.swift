import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// The checker sees a payment the bank approved but never settled: no NOK reached the partner, so no
/// payout will ever go, and no other rule looks at a `processing` transfer without funds.
@Suite("Reconciliation: approved, never settled")
struct ReconciliationFindingsTests {
    @Test func aTransferApprovedADayAgoAndNeverSettledIsAFinding() async throws {
        try await TestDatabase.with { database in
            let now = BalanceVersionTests.now
            try await KariSends.setUp(database)
            for (id, hoursAgo, funds) in [("stuck", 30.0, false), ("recent", 2.0, false), ("settled", 30.0, true)] {
                try await KariSends.transfer(id, amountMinor: 100_000, at: now, database)
                let at = now.addingTimeInterval(-hoursAgo * 3600)
                try await database.run("""
                    UPDATE transactions SET status = 'processing', updated_at = \(bind: at), funds_received_at = \(bind: funds ? at : nil) WHERE id = \(bind: id)
                    """)
            }
            let findings = try await database.withConnection { try await ReconciliationRepository.findings(now: now, on: $0) }
            #expect(findings.filter { $0.problem == .processingUnsettled }.map(\.transactionId) == ["stuck"])
        }
    }
}
