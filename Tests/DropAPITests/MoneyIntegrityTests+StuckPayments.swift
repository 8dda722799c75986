import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

extension MoneyIntegrityTests {
    /// A payment whose answer was lost and whose account is gone since can never be asked again, and
    /// stays `pending_sca`. The reconciler and the expiry took the oldest 100 such every run, so past
    /// 100 of them no newer lost answer was learnt and no newer payment expired. Each try is stamped
    /// (`bank_checked_at`) and the least recently tried go first, so every one gets its turn.
    @Test func paymentsThatCanNeverBeAskedAgainDontKeepNewerOnesFromBeingLearntOrExpired() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            server.sandboxes.faults.bank.failNext(1, with: .lostAnswer)
            #expect(try await TransfersTests.send(server, kari, key: "gone", body: Self.transferBody(kari)).status == 503)
            let gone = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT id FROM transactions").first()?.decode(column: "id", as: String.self)
            })
            // Its account is gone, and a hundred more like it were made earlier.
            let earlier = server.clock.date.addingTimeInterval(-3600)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE transactions SET bank_account_id = NULL WHERE id = \(bind: gone)").run()
                for n in 0..<100 {
                    try await db.raw("""
                        INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id,
                                                  bank_request_id, bank_product, psu_ip_address, sca_expires_at, created_at, updated_at)
                        SELECT \(bind: "gone-\(n)"), user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, \(bind: "GONE\(n)"),
                               \(bind: "req-gone-\(n)"), bank_product, psu_ip_address, \(bind: earlier.addingTimeInterval(15 * 60)), \(bind: earlier), \(bind: earlier)
                        FROM transactions WHERE id = \(bind: gone)
                        """).run()
                }
            }

            // A newer payment's answer is lost too: the reconciler learns it within two runs (the others, never tried, go first once).
            server.clock.advance(61)
            server.sandboxes.faults.bank.failNext(1, with: .lostAnswer)
            #expect(try await TransfersTests.send(server, kari, key: "newer", body: Self.transferBody(kari, amount: 20100)).status == 503)
            let newer = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT id FROM transactions WHERE idempotency_key = 'newer'").first()?.decode(column: "id", as: String.self)
            })
            server.clock.advance(61)
            for _ in 0..<2 { _ = try await server.services.reconciliation.reconcile() }
            #expect(try await Self.row(server, newer).paymentId != nil)
            #expect(try await Self.row(server, gone).status == .pendingSCA)

            // Nobody approves it: it expires within two runs, however many ahead of it can't.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(16 * 60)
            for _ in 0..<2 { _ = try await server.services.transactions.expireOverdue() }
            #expect(try await Self.row(server, newer).status == .expired)
            #expect(try await Self.row(server, gone).status == .pendingSCA)
        }
    }
}
