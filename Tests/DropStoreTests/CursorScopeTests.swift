import DropCore
import DropStore
import DropTestSupport
import Foundation
import Testing

/// A list pages after the time the database holds for the row a cursor names, looked up under
/// the list's own conditions: a cursor naming someone else's row pages as one naming no row, so
/// the page can't tell that row's time. And a caller's time outside `AcceptedTimes` reaches no
/// query: PostgresNIO traps on binding a far-off `Date`.
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
                VALUES (\(bind: "n\(id.dropFirst())"), \(bind: user), 'bank.reconnect', 'Test', 'Test', \(bind: at))
                """)
        }
    }

    static func transactions(after position: PagePosition, from: Date? = nil, to: Date? = nil, _ database: Database) async throws -> [String] {
        try await database.withConnection {
            try await CustomerTransactionRepository.list(userId: "u1", status: nil, kind: nil, from: from, to: to, after: position, limit: 20, on: $0)
        }.map(\.id)
    }

    static func notifications(before position: (Date, String), _ database: Database) async throws -> [String] {
        try await database.withConnection {
            try await NotificationRepository.page(userId: "u1", limit: 20, before: position, on: $0)
        }.map(\.id)
    }

    @Test func aCursorNamingAnotherCustomersRowPagesAsOneNamingNoRow() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            // The cursor's own time, 35 minutes ago, is all Drop goes by for a row Kari can't list.
            let at = Self.now.addingTimeInterval(-35 * 60)
            let unknown = try await Self.transactions(after: PagePosition(createdAt: at, id: "t-none"), database)
            #expect(unknown == ["t2", "t1"])
            #expect(try await Self.transactions(after: PagePosition(createdAt: at, id: "t6"), database) == unknown)
            // Her own row is paged after at the time stored for it.
            #expect(try await Self.transactions(after: PagePosition(createdAt: at, id: "t4"), database) == ["t3", "t2", "t1"])

            let unknownNote = try await Self.notifications(before: (at, "n-none"), database)
            #expect(unknownNote == ["n2", "n1"])
            #expect(try await Self.notifications(before: (at, "n6"), database) == unknownNote)
            #expect(try await Self.notifications(before: (at, "n4"), database) == ["n3", "n2", "n1"])
        }
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
