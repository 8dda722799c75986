import DropStore
import DropTestSupport
import DropTestTools
import Foundation
import Testing

@Suite("Idempotency store")
struct IdempotencyStoreTests {
    @Test func firstRunsThenReplaysThenExpires() async throws {
        try await TestDatabase.with { database in
            let store = IdempotencyStore(database: database, retention: 3600)
            let now = Date()
            #expect(try await store.begin(scope: "u1", key: "k", requestHash: "a", now: now) == .started)
            #expect(try await store.begin(scope: "u1", key: "k", requestHash: "a", now: now) == .inProgress)
            #expect(try await store.begin(scope: "u1", key: "k", requestHash: "b", now: now) == .mismatch)
            try await store.complete(scope: "u1", key: "k", status: 201, body: "{\"ok\":true}")
            #expect(try await store.begin(scope: "u1", key: "k", requestHash: "a", now: now) == .replay(status: 201, body: "{\"ok\":true}"))
            // Another user's identical key is independent.
            #expect(try await store.begin(scope: "u2", key: "k", requestHash: "a", now: now) == .started)
            // After the retention period the key is new again.
            #expect(try await store.begin(scope: "u1", key: "k", requestHash: "b", now: now.addingTimeInterval(3601)) == .started)
        }
    }

    /// PostgreSQL can't index a key of kilobytes (SQLSTATE 54000): that is the caller's input, which
    /// the API answers with a 400, not a 500. The API refuses such a key before it gets here.
    @Test func aKeyTooLargeToIndexIsClassedAsTooLarge() async throws {
        try await TestDatabase.with { database in
            guard database.dialect == .postgres else { return }
            var random = SeededGenerator(seed: 54_000)
            // Random bytes, so PostgreSQL can't compress the entry under its limit.
            let key = String((0..<12_000).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x21...0x7E, using: &random))) })
            do {
                _ = try await IdempotencyStore(database: database).begin(scope: "u", key: key, requestHash: "a", now: Date())
                Issue.record("a key of \(key.utf8.count) bytes was indexed")
            } catch {
                #expect(classifyDatabaseError(error) == .valueTooLarge, "\(String(reflecting: type(of: error)))")
            }
        }
    }

    @Test func releasedAttemptsRunAgain() async throws {
        try await TestDatabase.with { database in
            let store = IdempotencyStore(database: database)
            let now = Date()
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", now: now) == .started)
            try await store.release(scope: "u", key: "k")
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", now: now) == .started)
        }
    }
}

@Suite("Idempotency leases")
struct IdempotencyLeaseTests {
    @Test func aRequestWhoseLeaseLapsedIsResumedByTheNextAttemptOnly() async throws {
        try await TestDatabase.with { database in
            let store = IdempotencyStore(database: database, lease: 20)
            let now = Date()
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", owner: "first", now: now) == .started)
            // Renewed while it runs: still busy after the first lease would have ended.
            #expect(try await store.renew(scope: "u", key: "k", owner: "first", now: now.addingTimeInterval(15)))
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", owner: "second", now: now.addingTimeInterval(30)) == .inProgress)
            #expect(try await store.abandoned(now: now.addingTimeInterval(30)).isEmpty)
            // The first attempt's process dies: after the lease, one retry takes over, not two.
            #expect(try await store.abandoned(now: now.addingTimeInterval(40)).count == 1)
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", owner: "second", now: now.addingTimeInterval(40)) == .resumed)
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", owner: "third", now: now.addingTimeInterval(40)) == .inProgress)
            // The dead attempt can neither renew nor answer any more.
            #expect(try await store.renew(scope: "u", key: "k", owner: "first", now: now.addingTimeInterval(41)) == false)
            let stale = try await store.complete(scope: "u", key: "k", owner: "first", status: 500, body: "stale")
            let answered = try await store.complete(scope: "u", key: "k", owner: "second", status: 201, body: "{}")
            let again = try await store.complete(scope: "u", key: "k", owner: "second", status: 201, body: "{}")
            #expect(!stale && answered && !again)
            #expect(try await store.begin(scope: "u", key: "k", requestHash: "a", now: now.addingTimeInterval(42)) == .replay(status: 201, body: "{}"))
        }
    }
}
