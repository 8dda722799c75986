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
            try await BalanceVersionTests.seed(database)
            try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
            try await StandingOrderPayeeTests.insertRecipient(database)
            for (id, hoursAgo, funds) in [("stuck", 30.0, false), ("recent", 2.0, false), ("settled", 30.0, true)] {
                try await database.transaction { db in
                    try await TransactionRepository.open(NewTransaction(
                        id: id, userId: "u1", kind: .remittance, amount: Money(minorUnits: 100_000, currency: .nok), fee: Money(minorUnits: 500, currency: .nok),
                        total: Money(minorUnits: 100_500, currency: .nok), recipientId: "r1", bankAccountId: "a1", idempotencyKey: id, endToEndId: "E2E-\(id)",
                        bankRequestId: "req-\(id)", bankProduct: "domestic-credit-transfers", psuIPAddress: "192.0.2.1", scaExpiresAt: now), standingOrderId: nil,
                        at: now, on: db)
                }
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
