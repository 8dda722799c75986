import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// The number a customer's cached balance is checked against moves with every write to their bank
/// accounts, in the same database transaction, whoever writes (the triggers of migration 18), and
/// with nothing else.
@Suite("Balance version")
struct BalanceVersionTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The number on a connection, and as a request reads it (`Database.batched`): the same.
    static func version(_ userId: String, _ database: Database) async throws -> Int64 {
        let read = try await database.withConnection { try await BalanceVersion.current(userId: userId, on: $0) }
        #expect(try await BalanceVersion.current(userId: userId, in: database) == read)
        return read
    }

    /// Kari (u1) and Ola (u2) have each linked DNB (consents c1, c2); Per (u3) has linked nothing.
    static func seed(_ database: Database) async throws {
        for (id, hash) in [("u1", "h1"), ("u2", "h2"), ("u3", "h3")] { try await insertUser(id: id, pidHash: hash, database: database) }
        for (consent, user) in [("c1", "u1"), ("c2", "u2")] {
            try await database.run("""
                INSERT INTO bank_consents (id, user_id, bank_id, provider_consent_id, status, created_at, updated_at)
                VALUES (\(bind: consent), \(bind: user), 'dnb', \(bind: "p-" + consent), 'valid', \(bind: now), \(bind: now))
                """)
        }
    }

    static func insertAccount(_ id: String, user: String, consent: String, _ database: Database) async throws {
        try await database.run("""
            INSERT INTO bank_accounts (id, user_id, consent_id, bank_id, provider_account_id, currency, balance_minor, balance_synced_at, created_at, updated_at)
            VALUES (\(bind: id), \(bind: user), \(bind: consent), 'dnb', \(bind: "p-" + id), 'NOK', 100000, \(bind: now), \(bind: now), \(bind: now))
            """)
    }

    @Test func everyWriteToACustomersAccountsMovesTheirNumberAndNoOneElses() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            #expect(try await Self.version("u1", database) == 0)

            try await Self.insertAccount("a1", user: "u1", consent: "c1", database)
            let linked = try await Self.version("u1", database)
            #expect(linked > 0)

            // A balance the bank gave, a consent that ended, a removal: each moves it.
            try await database.run("UPDATE bank_accounts SET balance_minor = 90000, balance_synced_at = \(bind: Self.now + 60) WHERE id = 'a1'")
            let refreshed = try await Self.version("u1", database)
            #expect(refreshed > linked)
            try await database.run("UPDATE bank_accounts SET status = 'reconnect' WHERE id = 'a1'")
            let ended = try await Self.version("u1", database)
            #expect(ended > refreshed)
            try await database.run("DELETE FROM bank_accounts WHERE id = 'a1'")
            #expect(try await Self.version("u1", database) > ended)

            // Ola's accounts and Kari's consent are not Kari's balance.
            try await Self.insertAccount("a2", user: "u2", consent: "c2", database)
            let kari = try await Self.version("u1", database)
            try await database.run("UPDATE bank_consents SET last_action_at = \(bind: Self.now) WHERE id = 'c1'")
            #expect(try await Self.version("u1", database) == kari)
            #expect(try await Self.version("u2", database) > 0)
            #expect(try await Self.version("u3", database) == 0)
        }
    }

    /// The bank's answer for a consent updates all its accounts; a statement that changes nothing moves nothing.
    @Test func oneStatementOverSeveralAccountsMovesTheNumberAndAnEmptyOneDoesNot() async throws {
        try await TestDatabase.with { database in
            try await Self.seed(database)
            try await Self.insertAccount("a1", user: "u1", consent: "c1", database)
            try await Self.insertAccount("a2", user: "u1", consent: "c1", database)
            try await Self.insertAccount("a3", user: "u2", consent: "c2", database)
            let kari = try await Self.version("u1", database), ola = try await Self.version("u2", database)
            try await database.run("UPDATE bank_accounts SET balance_synced_at = \(bind: Self.now + 300)")
            let kariAfter = try await Self.version("u1", database)
            // PostgreSQL moves a number once per statement, SQLite once per row.
            #expect(kariAfter == kari + (database.dialect == .postgres ? 1 : 2))
            #expect(try await Self.version("u2", database) == ola + 1)
            try await database.run("UPDATE bank_accounts SET status = 'reconnect' WHERE id = 'no-such-account'")
            #expect(try await Self.version("u1", database) == kariAfter)
        }
    }

    @Test func aWriteThatRollsBackLeavesTheNumberWhereItWas() async throws {
        struct Abandoned: Error {}
        try await TestDatabase.with { database in
            try await Self.seed(database)
            try await Self.insertAccount("a1", user: "u1", consent: "c1", database)
            let before = try await Self.version("u1", database)
            await #expect(throws: Abandoned.self) {
                try await database.transaction { db in
                    try await db.raw("UPDATE bank_accounts SET balance_minor = 1 WHERE id = 'a1'").run()
                    throw Abandoned()
                }
            }
            #expect(try await Self.version("u1", database) == before)
        }
    }
}
