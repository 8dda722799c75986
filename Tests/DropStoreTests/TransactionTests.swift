import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error {}

    @Test func aFailedTransactionLeavesNothingBehind() async throws {
        try await TestDatabase.with { database in
            await #expect(throws: Boom.self) {
                try await database.transaction { db in
                    try await db.raw("INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256) VALUES ('p', 'e1', \(bind: Date()), 'x')").run()
                    throw Boom()
                }
            }
            let count = try await database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM webhook_events").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    /// On SQLite the inner one would wait for the write gate its caller holds, and every later write
    /// behind it; it is refused at once instead, and the outer transaction rolls back.
    @Test func aTransactionBegunInsideAnotherIsRefusedNotHung() async throws {
        try await TestDatabase.with { database in
            await #expect(throws: NestedTransactionError.self) {
                try await database.transaction { db in
                    try await db.raw("INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256) VALUES ('p', 'outer', \(bind: Date()), 'x')").run()
                    try await database.transaction { _ in }
                }
            }
            // A task started inside a transaction and running after it ended may begin its own.
            let (ended, end) = AsyncStream<Void>.makeStream()
            let later = try await database.transaction { _ in
                Task {
                    for await _ in ended { break }
                    try await database.transaction { db in
                        try await db.raw("INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256) VALUES ('p', 'later', \(bind: Date()), 'x')").run()
                    }
                }
            }
            end.yield()
            end.finish()
            try await later.value
            let events = try await database.withConnection {
                try await $0.raw("SELECT event_id FROM webhook_events").all().map { try $0.decode(column: "event_id", as: String.self) }
            }
            #expect(events == ["later"])
        }
    }

    /// `singleWrite` is one statement without BEGIN/COMMIT: many at once all land beside a
    /// transaction (on SQLite they queue at the same write gate, so none meets BUSY), and neither
    /// begins inside the other: refused like a nested transaction.
    @Test func singleWritesLandBesideTransactionsAndAreRefusedInsideOne() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection {
                try await $0.raw("INSERT INTO rate_limits (key, window_start, count) VALUES ('k', 0, 0)").run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        if n.isMultiple(of: 2) {
                            try await database.singleWrite { try await $0.raw("UPDATE rate_limits SET count = count + 1 WHERE key = 'k'").run() }
                        } else {
                            try await database.transaction { db in
                                try await db.raw("UPDATE rate_limits SET count = count + 1 WHERE key = 'k'").run()
                                try await db.raw("INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256) VALUES ('p', \(bind: "e\(n)"), \(bind: Date()), 'x')").run()
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await database.withConnection {
                try await $0.raw("SELECT count FROM rate_limits WHERE key = 'k'").first()!.decode(column: "count", as: Int.self)
            }
            #expect(count == 20)
            await #expect(throws: NestedTransactionError.self) {
                try await database.transaction { _ in
                    try await database.singleWrite { try await $0.raw("UPDATE rate_limits SET count = 0").run() }
                }
            }
            // Nor the other way round (on SQLite it would wait for the gate the single write holds).
            await #expect(throws: NestedTransactionError.self) {
                try await database.singleWrite { _ in try await database.transaction { _ in } }
            }
        }
    }

    @Test func concurrentWritersAllLand() async throws {
        try await TestDatabase.with { database in
            // Read-modify-write under contention: every increment must survive (no lost update, no BUSY escaping).
            try await database.withConnection {
                try await $0.raw("INSERT INTO rate_limits (key, window_start, count) VALUES ('k', 0, 0)").run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await database.transaction(isolation: .serializable, retries: 50) { db in
                            let current = try await db.raw("SELECT count FROM rate_limits WHERE key = 'k'").first()!
                                .decode(column: "count", as: Int.self)
                            try await db.raw("UPDATE rate_limits SET count = \(bind: current + 1) WHERE key = 'k'").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await database.withConnection {
                try await $0.raw("SELECT count FROM rate_limits WHERE key = 'k'").first()!.decode(column: "count", as: Int.self)
            }
            #expect(count == 20)
        }
    }

    @Test func databaseURLParsing() throws {
        #expect(try DatabaseURL(parsing: "sqlite:data/drop.db", workingDirectory: "/srv") == .sqlite(path: "/srv/data/drop.db"))
        #expect(try DatabaseURL(parsing: "sqlite:///tmp/x.db") == .sqlite(path: "/tmp/x.db"))
        #expect(try DatabaseURL(parsing: "postgres://u:secret@h:5432/db") == .postgres(url: "postgres://u:secret@h:5432/db"))
        #expect(!(try DatabaseURL(parsing: "postgres://u:secret@h:5432/db")).description.contains("secret"))
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "mysql://x") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "sqlite:") }
    }
}
