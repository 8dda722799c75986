import DropStore
import DropTestSupport
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing

/// A migration on a live database: each its own transaction, and on PostgreSQL none waits long for a lock
/// (`Migrator`, docs/operations.md "Migrations on a live database").
@Suite("Migrations on a live database")
struct MigrationLockTests {
    private enum Event: Sendable {
        case migrated(Result<[Int], any Error>)
        case read
        case gaveUp(released: Bool)
    }

    static let addNote = Migration(version: 9001, name: "spending_limit_notes", statements: ["ALTER TABLE spending_limits ADD COLUMN note TEXT"])

    /// A release's migrations commit one by one: one that fails leaves those before it applied, and only it pending.
    @Test func aFailingMigrationKeepsTheOnesBeforeIt() async throws {
        try await TestDatabase.with { database in
            let broken = Migration(version: 9002, name: "broken", statements: ["ALTER TABLE no_such_table ADD COLUMN x TEXT"])
            let migrator = Migrator(migrations: Migration.all + [Self.addNote, broken])
            await #expect(throws: (any Error).self) { try await migrator.migrate(database) }
            #expect(try await migrator.pending(database) == [9002])
            // 9001's column is there.
            try await database.run("UPDATE spending_limits SET note = 'x' WHERE user_id = 'nobody'")
        }
    }

    /// A transaction left open on a table (a long report, a stuck session) holds a lock the schema change needs.
    /// Waiting for it without limit would queue every request on that table behind the migration: it gives up
    /// after its lock timeout instead, tries again, and stops with `MigrationLockTimeout`, nothing of it applied,
    /// while a read of the table issued meanwhile is served. Once the table is free, it applies.
    @Test(.enabled(if: TestDatabase.isPostgres, "lock_timeout is PostgreSQL's"))
    func aMigrationWaitingForALockGivesUpWithoutHoldingRequestsUp() async throws {
        try await TestDatabase.with { database in
            let migrator = Migrator(migrations: Migration.all + [Self.addNote], lockTimeout: .milliseconds(300), lockAttempts: 2,
                                    lockPause: .milliseconds(50))
            let outcome: Result<[Int], any Error> = try await database.withConnection { holder in
                try await holder.raw("BEGIN").run()
                _ = try await holder.raw("SELECT COUNT(*) AS n FROM spending_limits").first()
                let (migrated, readWhileHeld) = await withTaskGroup(of: Event.self) { group in
                    group.addTask {
                        do { return .migrated(.success(try await migrator.migrate(database))) } catch { return .migrated(.failure(error)) }
                    }
                    group.addTask {
                        // Issued while the migration waits for its lock: without a lock timeout it queues behind it.
                        try? await Task.sleep(for: .milliseconds(100))
                        _ = try? await database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM spending_limits").first() }
                        return .read
                    }
                    group.addTask {
                        // Without a lock timeout, the migration and the read would wait for this transaction: end it after 4 s.
                        do { try await Task.sleep(for: .seconds(4)) } catch { return .gaveUp(released: false) }
                        try? await holder.raw("ROLLBACK").run()
                        return .gaveUp(released: true)
                    }
                    var migrated: Result<[Int], any Error>?
                    var read = false
                    while let event = await group.next() {
                        switch event {
                        case .migrated(let result): migrated = result
                        case .read: read = true
                        case .gaveUp: break
                        }
                        if case .gaveUp = event { break }
                        if migrated != nil, read { break }
                    }
                    group.cancelAll()
                    return (migrated, read)
                }
                try? await holder.raw("ROLLBACK").run()
                #expect(readWhileHeld, "a read of the table waited for the migration")
                return migrated ?? .success([])
            }
            switch outcome {
            case .success(let applied): Issue.record("the migration waited for the open transaction and applied \(applied)")
            case .failure(let error):
                let timeout = try #require(error as? MigrationLockTimeout)
                #expect(timeout.version == 9001)
                #expect(timeout.attempts == 2)
            }
            #expect(try await migrator.pending(database) == [9001])
            #expect(try await migrator.migrate(database) == [9001])
        }
    }
}
