import DropStore
import DropTestSupport
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
