import DropCore
@testable import DropStore
import DropTestSupport
import Foundation
import Testing

/// The newest page of a customer's list with no filter is its own prepared read on PostgreSQL; it
/// gives the same rows, in the same order, as the filtered list that keeps everything.
@Suite("Newest page of a transaction list")
struct NewestPageTests {
    static let now = TransactionListVersionTests.now

    static func list(_ userId: String, from: Date? = nil, limit: Int, _ database: Database) async throws -> [String] {
        try await database.withConnection {
            try await CustomerTransactionRepository.list(userId: userId, status: nil, kind: nil, from: from, to: nil, after: nil, limit: limit, on: $0)
        }.map(\.id)
    }

    @Test func theNewestPageIsTheFilteredListThatKeepsEverything() async throws {
        try await TestDatabase.with { database in
            try await TransactionListVersionTests.seed(database)
            // Five of Kari's payments, two of them at the same moment (the id breaks the tie), and one of Per's.
            for (id, user, minutesAgo) in [("t1", "u1", 50), ("t2", "u1", 40), ("t3", "u1", 30), ("t4", "u1", 30), ("t5", "u1", 10), ("t6", "u2", 5)] {
                let at = Self.now.addingTimeInterval(Double(-60 * minutesAgo))
                try await database.run("""
                    INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: user), 'remittance', 'completed', 100000, 'NOK', 500, 100500, 'r1', \(bind: "E2E-" + id), \(bind: at), \(bind: at))
                    """)
            }

            let everything = Self.now.addingTimeInterval(-86_400)
            for limit in [1, 3, 4, 20] {
                let newest = try await Self.list("u1", limit: limit, database)
                #expect(newest == (try await Self.list("u1", from: everything, limit: limit, database)))
                // One row more than the page when more follow, so the page knows.
                #expect(newest == Array(["t5", "t4", "t3", "t2", "t1"].prefix(limit + 1)))
            }
            #expect(try await Self.list("u2", limit: 20, database) == ["t6"])
            #expect(try await Self.list("u3", limit: 20, database).isEmpty)

            // Several customers' pages at several sizes in one statement, as a restart's first visits
            // read them: each the same rows in the same order as read alone, whole records alike.
            let asked = [("u1", 1), ("u1", 3), ("u2", 20), ("u3", 20), ("u1", 20)]
            let keys = asked.map { CustomerTransactionRepository.NewestPages.key(userId: $0.0, limit: $0.1) }
            let together = try await database.withConnection { db in
                try CustomerTransactionRepository.NewestPages.values(from: try await db.rows(CustomerTransactionRepository.NewestPages(keys: keys)))
            }
            for ((user, limit), key) in zip(asked, keys) {
                let alone = try await database.withConnection {
                    try await CustomerTransactionRepository.list(userId: user, status: nil, kind: nil, from: nil, to: nil, after: nil, limit: limit, on: $0)
                }
                #expect((together[key]?.value ?? []) == alone, "\(key)")
                let one = try await database.withConnection { db in
                    try CustomerTransactionRepository.NewestPages.values(from: try await db.rows(CustomerTransactionRepository.NewestPages.alone(key)))
                }
                #expect((one[key]?.value ?? []) == alone && one.count <= 1, "\(key) alone")
                #expect(try await CustomerTransactionRepository.newest(limit, userId: user, in: database) == alone)
                // Each page carries its customer's number, read alone or together (ADR 0024); none without a row to carry it.
                let number = alone.isEmpty ? nil : try await TransactionListVersion.current(userId: user, in: database)
                #expect(together[key]?.version == number && one[key]?.version == number, "\(key)")
                #expect(try await CustomerTransactionRepository.newestNumbered(limit, userId: user, in: database)?.version == number)
            }
            #expect(together[keys[0]]?.value.map(\.id) == ["t5", "t4"] && together["21 u3"] == nil)
            #expect(try await TransactionListVersion.current(userId: "u1", in: database) != TransactionListVersion.current(userId: "u2", in: database))
        }
    }
}
