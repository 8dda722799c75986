import DropCore
import DropStore
import DropTestSupport
import Foundation
import Testing

/// A caller's time outside `AcceptedTimes` reaches no query: PostgresNIO traps on binding a
/// far-off `Date`, so the store clamps what a route let through.
@Suite("Paging positions and times from callers")
struct CursorScopeTests {
    static let now = TransactionListVersionTests.now

    /// Kari's (u1) five transactions 50 to 10 minutes ago and Per's (u2) one 5 minutes ago; a
    /// notification of each at the same times.
    static func seed(_ database: Database) async throws {
        try await TransactionListVersionTests.seed(database)
        for (id, user, minutesAgo) in [("t1", "u1", 50), ("t2", "u1", 40), ("t3", "u1", 30), ("t4", "u1", 20), ("t5", "u1", 10), ("t6", "u2", 5)] {
            let at = now.addingTimeInterval(Double(-60 * minutesAgo))
            try await database.run("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id, created_at, updated_at)
                VALUES (\(bind: id), \(bind: user), 'remittance', 'completed', 100000, 'NOK', 500, 100500, 'r1', \(bind: "E2E-" + id), \(bind: at), \(bind: at))
                """)
            try await database.run("""
                INSERT INTO notifications (id, user_id, kind, title, body, created_at)
                VALUES (\(bind: "n" + id.dropFirst()), \(bind: user), 'bank.reconnect', 'Test', 'Test', \(bind: at))
                """)
        }
    }

    static func transactions(after position: PagePosition, from: Date? = nil, to: Date? = nil, _ database: Database) async throws -> [String] {
        try await database.withConnection {
            try await CustomerTransactionRepository.list(userId: "u1", status: nil, kind: nil, from: from, to: to, after: position, limit: 20, on: $0)
        }.map(\.id)
    }

    @Test func aFarOffTimeFromACallerIsBoundWithinTheAcceptedRange() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            let farOff = Date(timeIntervalSince1970: 9_400_000_000_000)  // year 300000
            let position = PagePosition(createdAt: farOff, id: "t-none")
            #expect(try await Self.transactions(after: position, from: farOff, database).isEmpty)
            #expect(try await Self.transactions(after: position, to: farOff, database) == ["t5", "t4", "t3", "t2", "t1"])
            #expect(try await Self.transactions(after: position, to: Date(timeIntervalSince1970: -9_400_000_000_000), database).isEmpty)
        }
    }
}
