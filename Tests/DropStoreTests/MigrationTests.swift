import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let designTables = [
        // The 19 of the original design…
        "users", "sessions", "transactions", "bank_accounts", "recipients", "merchants", "notifications", "settings",
        "cards", "spending_limits", "exchange_rates", "audit_log", "aml_alerts", "str_reports", "screening_results",
        "consents", "data_access_requests", "complaints", "rate_limits",
        // …and those the flows added.
        "bank_consents", "quotes", "idempotency_keys", "oidc_logins", "webhook_events", "payouts", "jobs",
        "schema_migrations", "transaction_events", "audit_chain_head",
    ]

    @Test func createsEveryTableOfTheDesign() async throws {
        try await TestDatabase.with { database in
            for table in Self.designTables {
                // Selecting from a missing table throws, on both engines.
                _ = try await database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first() }
            }
            #expect(try await Migrator().pending(database).isEmpty)
        }
    }

    @Test func runningTwiceAppliesNothingTheSecondTime() async throws {
        try await TestDatabase.with(migrate: false) { database in
            #expect(try await Migrator().pending(database) == Migration.all.map(\.version))
            let first = try await Migrator().migrate(database)
            let second = try await Migrator().migrate(database)
            #expect(first == Migration.all.map(\.version))
            #expect(second.isEmpty)
        }
    }

    @Test func concurrentMigratorsApplyEachVersionOnce() async throws {
        try await TestDatabase.with(migrate: false) { database in
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 { group.addTask { try await Migrator().migrate(database) } }
                return try await group.reduce(into: [[Int]]()) { $0.append($1) }
            }
            #expect(results.flatMap { $0 }.sorted() == Migration.all.map(\.version))
            let count = try await database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == Migration.all.count)
        }
    }

    @Test func constraintsAreEnforced() async throws {
        try await TestDatabase.with { database in
            let now = Date()
            // A session for a user that doesn't exist violates the foreign key.
            await #expect(throws: (any Error).self) {
                try await database.withConnection { db in
                    try await db.raw("""
                        INSERT INTO sessions (id, user_id, client, created_at, expires_at)
                        VALUES ('s1', 'nobody', 'web', \(bind: now), \(bind: now))
                        """).run()
                }
            }
            try await insertUser(id: "u1", pidHash: "h1", database: database)
            do {
                try await insertUser(id: "u2", pidHash: "h1", database: database)
                Issue.record("a second active user with the same pid hash was accepted")
            } catch {
                #expect(classifyDatabaseError(error) == .uniqueViolation)
            }
            // An erased customer's pid hash may come back as a new customer.
            try await database.withConnection { try await $0.raw("UPDATE users SET deleted_at = \(bind: now) WHERE id = 'u1'").run() }
            try await insertUser(id: "u3", pidHash: "h1", database: database)
        }
    }
}

func insertUser(id: String, pidHash: String, role: String = "user", database: Database) async throws {
    let now = Date()
    try await database.withConnection { db in
        try await db.raw("""
            INSERT INTO users (id, pid_hash, role, created_at, updated_at)
            VALUES (\(bind: id), \(bind: pidHash), \(bind: role), \(bind: now), \(bind: now))
            """).run()
    }
}

extension MigrationTests {
    /// A payout message still unsent when migration 30 runs may have reached the partner (a send whose answer was
    /// lost puts it back to `created`): it counts as tried, so the partner is asked before it could be withdrawn.
    @Test func payoutMessagesUnsentBeforeMigration30CountAsTried() async throws {
        try await TestDatabase.with(migrate: false) { database in
            _ = try await Migrator(migrations: Migration.all.filter { $0.version < 30 }).migrate(database)
            let created = Date(timeIntervalSince1970: 1_800_000_000)
            for (id, status) in [("p-created", "created"), ("p-sending", "sending"), ("p-done", "completed")] {
                try await database.run("""
                    INSERT INTO payouts (id, message_id, status, currency, transaction_count, control_sum_minor, pain001, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: "m-\(id)"), \(bind: status), 'EUR', 1, 100, '<Document/>', \(bind: created), \(bind: created.addingTimeInterval(60)))
                    """)
            }
            _ = try await Migrator().migrate(database)
            let tried = try await database.withConnection { db in
                try await db.raw("SELECT id FROM payouts WHERE send_attempted_at IS NOT NULL ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
            }
            #expect(tried == ["p-created", "p-sending"])
        }
    }
}
