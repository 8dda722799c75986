@_spi(FaultInjection) import DropStore
@_spi(FaultInjection) import DropTestSupport
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing

/// What `Database` does when the connection fails under a write (ADR 0035): the injected faults
/// (`DatabaseFaults`) behave as a lost connection does, and on PostgreSQL a session really ended by
/// the server (`pg_terminate_backend`, as a restart ends them all) is not retried as a conflict,
/// leaves nothing of its transaction, and costs no later request its connection.
@Suite("Database faults")
struct DatabaseFaultStoreTests {
    static func insert(_ id: String) -> SQLQueryString {
        "INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256) VALUES ('probe', \(bind: id), \(bind: Date()), 'x')"
    }

    static func events(_ database: Database) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw("SELECT event_id FROM webhook_events WHERE provider = 'probe' ORDER BY event_id").all()
                .map { try $0.decode(column: "event_id", as: String.self) }
        }
    }

    @Test func aStatementLostBeforeOrAfterItRan() async throws {
        let faults = DatabaseFaults()
        try await TestDatabase.with(faults: faults) { database in
            faults.failStatement(containing: "INSERT INTO webhook_events", .before)
            await #expect(throws: DatabaseFaults.Lost.self) { try await database.singleWrite { try await $0.raw(Self.insert("a")).run() } }
            // Its answer lost: the write stands (it committed by itself), and the caller heard an error.
            faults.failStatement(containing: "INSERT INTO webhook_events", .after)
            await #expect(throws: DatabaseFaults.Lost.self) { try await database.singleWrite { try await $0.raw(Self.insert("b")).run() } }
            let events = try await Self.events(database)
            #expect(events == ["b"])
            #expect(faults.fired == 2 && !faults.isArmed)
        }
    }

    /// A COMMIT that never reached the database rolls back; one whose answer was lost has committed. Neither
    /// is retried: only a deadlock or serialization failure is, which PostgreSQL has rolled back itself.
    @Test func aCommitLostBeforeOrAfterItRanIsNotRetried() async throws {
        let faults = DatabaseFaults()
        try await TestDatabase.with(faults: faults) { database in
            let runs = NIOLockedValueBox(0)
            faults.failCommit(ofTransactionContaining: "INSERT INTO webhook_events", .before)
            await #expect(throws: DatabaseFaults.Lost.self) {
                try await database.transaction { db in
                    runs.withLockedValue { $0 += 1 }
                    try await db.raw(Self.insert("c")).run()
                }
            }
            faults.failCommit(ofTransactionContaining: "INSERT INTO webhook_events", .after)
            await #expect(throws: DatabaseFaults.Lost.self) {
                try await database.transaction { db in
                    runs.withLockedValue { $0 += 1 }
                    try await db.raw(Self.insert("d")).run()
                }
            }
            #expect(runs.withLockedValue { $0 } == 2)
            #expect(try await Self.events(database) == ["d"])
            // The connections are usable afterwards: nothing is left open on them.
            try await database.transaction { try await $0.raw(Self.insert("e")).run() }
            #expect(try await Self.events(database) == ["d", "e"])
        }
    }

    /// The server ends Drop's session in the middle of a transaction: the body is not run again, nothing
    /// of it is kept, and the next writes get a live connection.
    @Test(.enabled(if: TestDatabase.isPostgres))
    func aSessionEndedByTheServerMidTransactionLeavesNothingAndIsNotRetried() async throws {
        try await TestDatabase.with { database in
            let (server, name) = try Self.names(database)
            let runs = NIOLockedValueBox(0)
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    runs.withLockedValue { $0 += 1 }
                    try await db.raw(Self.insert("f")).run()
                    let pid = try #require(try await db.raw("SELECT pg_backend_pid() AS pid").first()).decode(column: "pid", as: Int.self)
                    #expect(try await PostgresDatabases.terminateSessions(of: name, pid: pid, serverURL: server) == 1)
                    try await db.raw(Self.insert("g")).run()
                }
            }
            #expect(runs.withLockedValue { $0 } == 1)
            #expect(try await Self.events(database) == [])
            try await database.singleWrite { try await $0.raw(Self.insert("h")).run() }
            try await database.transaction { try await $0.raw(Self.insert("i")).run() }
            #expect(try await Self.events(database) == ["h", "i"])
        }
    }

    /// The server ends the session between two statements of a transaction, and Drop has heard it close before
    /// sending the second: the statement, and the ROLLBACK after it, fail at once. PostgresNIO never answers a
    /// statement sent on a closed connection; the task waited for good, holding its pool slot and its leases.
    @Test(.enabled(if: TestDatabase.isPostgres))
    func aStatementOnAConnectionTheServerClosedFailsInsteadOfWaitingForEver() async throws {
        try await TestDatabase.with { database in
            let (server, name) = try Self.names(database)
            let finished = NIOLockedValueBox<Result<Void, any Error>?>(nil)
            // Unstructured, so that a hang fails this test instead of holding up the whole run.
            Task {
                let outcome: Result<Void, any Error>
                do {
                    try await database.transaction { db in
                        try await db.raw(Self.insert("j")).run()
                        let pid = try #require(try await db.raw("SELECT pg_backend_pid() AS pid").first()).decode(column: "pid", as: Int.self)
                        try await PostgresDatabases.terminateSessions(of: name, pid: pid, serverURL: server)
                        try await Task.sleep(for: .milliseconds(500))  // the close reaches Drop first
                        try await db.raw(Self.insert("k")).run()
                    }
                    outcome = .success(())
                } catch {
                    outcome = .failure(error)
                }
                finished.withLockedValue { $0 = outcome }
            }
            for _ in 0..<100 where finished.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(100)) }
            let outcome = try #require(finished.withLockedValue { $0 }, "the transaction never finished")
            #expect(throws: DatabaseConnectionClosed.self) { try outcome.get() }
            #expect(try await Self.events(database) == [])
        }
    }

    /// PostgreSQL restarts (every session of the database ended) while Drop's pool holds idle connections:
    /// the writes after it go through on new connections, none fails on a dead one.
    @Test(.enabled(if: TestDatabase.isPostgres))
    func writesAfterTheServerEndedEveryIdleSessionGoThrough() async throws {
        try await TestDatabase.with { database in
            let (server, name) = try Self.names(database)
            // Idle connections in the pool, on every event loop.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 { group.addTask { _ = try await database.withConnection { try await $0.raw("SELECT \(bind: index) AS n").all() } } }
                try await group.waitForAll()
            }
            #expect(try await PostgresDatabases.terminateSessions(of: name, serverURL: server) > 0)
            try await Task.sleep(for: .milliseconds(200))
            for index in 0..<8 {
                try await database.singleWrite { try await $0.raw(Self.insert("w\(index)")).run() }
            }
            #expect(try await Self.events(database).count == 8)
        }
    }

    struct NotPostgres: Error {}

    /// The server and the test's own database, from its URL.
    static func names(_ database: Database) throws -> (server: String, database: String) {
        guard let server = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], case .postgres(let url) = database.url,
              let name = URLComponents(string: url)?.path.dropFirst() else { throw NotPostgres() }
        return (server, String(name))
    }
}
