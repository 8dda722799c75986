@testable import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// `runBatched`: the inserts a transaction holds and sends together, as one statement on
/// PostgreSQL (docs/decisions/0022). What the body reads and what commits must be exactly what
/// sending each at once would give.
@Suite("Batched writes")
struct BatchedWritesTests {
    static func event(_ id: String) -> SQLQueryString {
        "INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256) VALUES ('p', \(bind: id), \(bind: Date()), 'x')"
    }

    static func events(_ db: any SQLDatabase) async throws -> [String] {
        try await db.raw("SELECT event_id FROM webhook_events ORDER BY event_id").all().map { try $0.decode(column: "event_id", as: String.self) }
    }

    @Test func theBodysNextStatementSeesThemAndTheyCommitWithTheTransaction() async throws {
        try await TestDatabase.with { database in
            let seen = try await database.transaction { db in
                try await db.runBatched(Self.event("a"))
                try await db.runBatched(Self.event("b"))
                let seen = try await Self.events(db)
                try await db.runBatched(Self.event("c"))
                return seen
            }
            #expect(seen == ["a", "b"])
            #expect(try await database.withConnection { try await Self.events($0) } == ["a", "b", "c"])
        }
    }

    /// The body sends nothing after the duplicate, so on PostgreSQL its error comes from the
    /// transaction's end: the transaction still fails whole, audit row and all.
    @Test func oneThatFailsUndoesTheWholeTransaction() async throws {
        try await TestDatabase.with { database in
            var failure: (any Error)?
            do {
                try await database.transaction { db in
                    try await db.raw(Self.event("sent at once")).run()
                    try await AuditLog.append(AuditEntry(actor: .system, action: "test.batched", entityType: "event", entityId: "dup"), at: Date(), on: db)
                    try await db.runBatched(Self.event("dup"))
                    try await db.runBatched(Self.event("dup"))
                }
            } catch {
                failure = error
            }
            let kind = failure.map(classifyDatabaseError)
            #expect(kind == .uniqueViolation)
            let left = try await database.withConnection { try await Self.events($0) }
            #expect(left.isEmpty)
            let audit = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(audit == AuditLog.Verification(ok: true, checked: 0, brokenAt: nil))
        }
    }

    struct Refused: Error {}

    /// A body that throws after holding inserts rolls back without sending them: had they gone out
    /// first and failed, ROLLBACK would never have been sent and the pooled connection would have
    /// gone back in an aborted transaction, failing whoever used it next.
    @Test func aBodyThatThrowsRollsBackWithoutSendingWhatItHeld() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { try await $0.raw(Self.event("taken")).run() }
            for _ in 0..<6 {
                do {
                    try await database.transaction { db in
                        try await db.runBatched(Self.event("taken"))
                        throw Refused()
                    }
                    Issue.record("the transaction committed")
                } catch {
                    // SQLite holds nothing: there the insert itself fails, at once.
                    if TestDatabase.isPostgres { #expect(error is Refused) } else { #expect(classifyDatabaseError(error) == .uniqueViolation) }
                }
            }
            // Every pooled connection answers, and the next transactions commit.
            for n in 0..<12 {
                try await database.transaction { db in try await db.runBatched(Self.event("after \(n)")) }
            }
            let events = try await database.withConnection { try await Self.events($0) }
            #expect(events.count == 13 && events.contains("taken"))
        }
    }

    /// A transfer's history entry refers to the transfer sent with it: the keys are checked when
    /// every row of the statement is in. A row referring to nothing is still refused.
    @Test func rowsSentTogetherMayReferToEachOtherButNotToNothing() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                try await db.raw("CREATE TABLE batch_parents (id TEXT PRIMARY KEY)").run()
                try await db.raw("CREATE TABLE batch_children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES batch_parents (id))").run()
            }
            try await database.transaction { db in
                try await db.runBatched("INSERT INTO batch_parents (id) VALUES (\(bind: "p1"))")
                try await db.runBatched("INSERT INTO batch_children (id, parent_id) VALUES (\(bind: "c1"), \(bind: "p1"))")
                try await AuditLog.append(AuditEntry(actor: .system, action: "test.batched", entityType: "parent", entityId: "p1"), at: Date(), on: db)
            }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    try await db.runBatched("INSERT INTO batch_parents (id) VALUES (\(bind: "p2"))")
                    try await db.runBatched("INSERT INTO batch_children (id, parent_id) VALUES (\(bind: "c2"), \(bind: "nobody"))")
                }
            }
            let (parents, children) = try await database.withConnection { db in
                (try await db.raw("SELECT id FROM batch_parents").all().map { try $0.decode(column: "id", as: String.self) },
                 try await db.raw("SELECT id FROM batch_children").all().map { try $0.decode(column: "id", as: String.self) })
            }
            #expect(parents == ["p1"] && children == ["c1"])
            #expect(try await database.withConnection { try await AuditLog.verify(on: $0) }.checked == 1)
        }
    }

    @Test func outsideATransactionItRunsAtOnce() async throws {
        try await TestDatabase.with { database in
            let seen = try await database.withConnection { db in
                try await db.runBatched(Self.event("now"))
                return try await database.withConnection { try await Self.events($0) }
            }
            #expect(seen == ["now"])
        }
    }

    /// What PostgreSQL is sent: every insert but the last a `WITH`, their values numbered in order.
    @Test func severalAreOneStatementWithTheirValuesInOrder() async throws {
        try await TestDatabase.with { database in
            let statement = try #require(BatchedWrites.statement([
                "INSERT INTO a (x) VALUES (\(bind: "1"))", "INSERT INTO b (x, y) VALUES (\(bind: "2"), \(bind: "3"))", "INSERT INTO c (x) VALUES (\(bind: "4"))",
            ]))
            let (sql, binds) = try await database.withConnection { db in
                var serializer = SQLSerializer(database: db)
                statement.serialize(to: &serializer)
                return (serializer.sql, serializer.binds.map { "\($0)" })
            }
            let p = (1...4).map { TestDatabase.isPostgres ? "$\($0)" : "?\($0)" }
            #expect(sql == "WITH w0 AS (INSERT INTO a (x) VALUES (\(p[0]))), w1 AS (INSERT INTO b (x, y) VALUES (\(p[1]), \(p[2]))) INSERT INTO c (x) VALUES (\(p[3]))")
            #expect(binds == ["1", "2", "3", "4"])
            #expect(BatchedWrites.statement([]) == nil)
        }
    }
}
