import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// The number a customer's cached transaction list is checked against moves with every write that
/// changes what the list shows, in the same database transaction, whoever writes (the triggers of
/// migration 17), and with nothing else.
@Suite("Transaction list version")
struct TransactionListVersionTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The number on a connection, and as a request reads it (`Database.batched`): the same.
    static func version(_ userId: String, _ database: Database) async throws -> Int64 {
        let read = try await database.withConnection { try await TransactionListVersion.current(userId: userId, on: $0) }
        #expect(try await TransactionListVersion.current(userId: userId, in: database) == read)
        return read
    }

    /// Kari (u1) pays Per's (u2) shop and sends to a recipient of hers; Ola (u3) has never paid.
    static func seed(_ database: Database) async throws {
        for (id, hash) in [("u1", "h1"), ("u2", "h2"), ("u3", "h3")] { try await insertUser(id: id, pidHash: hash, database: database) }
        try await database.run("""
            INSERT INTO recipients (id, user_id, name, country, currency, created_at, updated_at)
            VALUES ('r1', 'u1', 'Anna', 'PL', 'PLN', \(bind: now), \(bind: now))
            """)
        try await database.run("""
            INSERT INTO merchants (id, user_id, code, organisation_number, name, mcc, city, settlement_account, created_at, updated_at)
            VALUES ('m1', 'u2', 'PERSKAFE', '912345678', 'Pers kafé', '5812', 'Bergen', '12345678903', \(bind: now), \(bind: now))
            """)
    }

    static func insertRemittance(_ id: String, _ database: Database) async throws {
        try await database.run("""
            INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id, created_at, updated_at)
            VALUES (\(bind: id), 'u1', 'remittance', 'pending_sca', 100000, 'NOK', 500, 100500, 'r1', \(bind: "E2E-" + id), \(bind: now), \(bind: now))
            """)
    }

    @Test func everyWriteToACustomersTransactionsMovesTheirNumberAndNoOneElses() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            #expect(try await Self.version("u1", database) == 0)

            try await Self.insertRemittance("t1", database)
            let afterInsert = try await Self.version("u1", database)
            #expect(afterInsert > 0)

            try await database.run("UPDATE transactions SET status = 'processing', updated_at = updated_at WHERE id = 't1'")
            let afterUpdate = try await Self.version("u1", database)
            #expect(afterUpdate > afterInsert)

            try await database.run("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, merchant_id, end_to_end_id, created_at, updated_at)
                VALUES ('t2', 'u1', 'qr_payment', 'completed', 4500, 'NOK', 0, 4500, 'm1', 'E2E-t2', \(bind: Self.now), \(bind: Self.now))
                """)
            let afterPayment = try await Self.version("u1", database)
            #expect(afterPayment > afterUpdate)
            // Per owns the shop; the payment is Kari's list, not his.
            #expect(try await Self.version("u2", database) == 0)

            // The shop's name and city show on Kari's list; its settlement account doesn't.
            try await database.run("UPDATE merchants SET name = 'Per og Kari kafé' WHERE id = 'm1'")
            let afterRename = try await Self.version("u1", database)
            #expect(afterRename > afterPayment)
            try await database.run("UPDATE merchants SET settlement_account = '98765432106' WHERE id = 'm1'")
            #expect(try await Self.version("u1", database) == afterRename)

            // Deleted (an erasure's purge) is a change too.
            try await database.run("DELETE FROM transactions WHERE id = 't1'")
            #expect(try await Self.version("u1", database) > afterRename)
            #expect(try await Self.version("u3", database) == 0)
        }
    }

    /// A batch (a payout's transfers, an erasure) writes several customers' rows in one statement.
    @Test func oneStatementOverSeveralCustomersMovesEachOfTheirNumbers() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            try await database.run("""
                INSERT INTO recipients (id, user_id, name, country, currency, created_at, updated_at)
                VALUES ('r3', 'u3', 'Ahmed', 'PK', 'PKR', \(bind: Self.now), \(bind: Self.now))
                """)
            try await Self.insertRemittance("t1", database)
            try await Self.insertRemittance("t2", database)
            try await database.run("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id, created_at, updated_at)
                VALUES ('t3', 'u3', 'remittance', 'pending_sca', 5000, 'NOK', 25, 5025, 'r3', 'E2E-t3', \(bind: Self.now), \(bind: Self.now))
                """)
            let kari = try await Self.version("u1", database), ola = try await Self.version("u3", database)
            try await database.run("UPDATE transactions SET status = 'processing' WHERE id IN ('t1', 't2', 't3')")
            let kariAfter = try await Self.version("u1", database)
            #expect(kariAfter > kari)
            #expect(try await Self.version("u3", database) > ola)
            #expect(try await Self.version("u2", database) == 0)
            // PostgreSQL moves a number once per statement, SQLite once per row.
            #expect(kariAfter == kari + (database.dialect == .postgres ? 1 : 2))
            // A statement that changes nothing changes no number.
            try await database.run("UPDATE transactions SET status = 'held' WHERE id = 'no-such-transfer'")
            #expect(try await Self.version("u1", database) == kariAfter)
        }
    }

    @Test func aWriteThatRollsBackLeavesTheNumberWhereItWas() async throws {
        struct Abandoned: Error {}
        try await TestDatabase.with { database in
            try await Self.seed(database)
            try await Self.insertRemittance("t1", database)
            let before = try await Self.version("u1", database)
            await #expect(throws: Abandoned.self) {
                try await database.transaction { db in
                    try await db.raw("UPDATE transactions SET status = 'cancelled' WHERE id = 't1'").run()
                    throw Abandoned()
                }
            }
            #expect(try await Self.version("u1", database) == before)
        }
    }

    /// A crowd of writers on one customer's transactions: every write moves the number, none is lost.
    @Test func concurrentWritesEachMoveTheNumber() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            for index in 0..<4 { try await Self.insertRemittance("t\(index)", database) }
            let before = try await Self.version("u1", database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<12 {
                    group.addTask {
                        try await database.transaction { db in
                            try await db.raw("UPDATE transactions SET message = \(bind: "round \(round)") WHERE id = \(bind: "t\(round % 4)")").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.version("u1", database) == before + 12)
        }
    }
}
