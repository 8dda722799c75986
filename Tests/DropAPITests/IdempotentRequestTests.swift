import DropCore
import DropStore
import DropTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import DropAPI

/// One attempt works on an `Idempotency-Key` at a time, and the attempt holding the key gives its
/// answer: an attempt that stalled past its lease while a retry resumed the request stops, and
/// does not answer for it.
@Suite("One attempt per Idempotency-Key")
struct IdempotentRequestTests {
    static let body = Array(#"{"amountMinor":100000}"#.utf8)

    /// A retry takes the request over as if the first attempt's lease had lapsed (it stalled: a long GC pause, a frozen VM).
    static func retryTakesOver(_ store: IdempotencyStore) async throws {
        let resumed = try await store.begin(scope: "u1", key: "k", requestHash: Hex.sha256(of: body), owner: "retry",
                                            now: Date().addingTimeInterval(store.lease + 1))
        #expect(resumed == .resumed)
    }

    @Test func anAttemptWhoseLeaseWasTakenOverIsStoppedAndTheRetryAnswers() async throws {
        try await TestDatabase.with { database in
            // Renewed every 50 ms.
            let store = IdempotencyStore(database: database, lease: 0.2)
            let requests = IdempotentRequest(store: store, clock: { Date() })
            let (started, began) = AsyncStream<Void>.makeStream()
            let finished = NIOLockedValueBox(false)
            let first = Task {
                try await requests.perform(scope: "u1", key: "k", body: Self.body) { _ in
                    began.yield()
                    try await Task.sleep(for: .seconds(30))
                    finished.withLockedValue { $0 = true }
                    return (.created, Data("first".utf8))
                }
            }
            var waiting = started.makeAsyncIterator()
            _ = await waiting.next()
            try await Self.retryTakesOver(store)

            // The first attempt's next renewal finds the key taken: its work is cancelled, its caller told 409.
            let error = await #expect(throws: AppError.self) { try await first.value }
            #expect(error?.status == .conflict && error?.code == "IDEMPOTENCY_KEY_IN_USE")
            #expect(!finished.withLockedValue { $0 })
            // The key is the retry's: its answer is the one every later request gets.
            #expect(try await store.complete(scope: "u1", key: "k", owner: "retry", status: 201, body: "retry"))
            let replay = try await requests.perform(scope: "u1", key: "k", body: Self.body) { _ in (.created, Data("third".utf8)) }
            #expect(replay.replayed && String(decoding: replay.body, as: UTF8.self) == "retry")
        }
    }

    @Test func anAttemptTakenOverAfterItsLastRenewalDoesNotAnswer() async throws {
        try await TestDatabase.with { database in
            // Renewed every 5 s: the work below ends before the first renewal.
            let store = IdempotencyStore(database: database, lease: 20)
            let requests = IdempotentRequest(store: store, clock: { Date() })
            let error = await #expect(throws: AppError.self) {
                try await requests.perform(scope: "u1", key: "k", body: Self.body) { _ in
                    try await Self.retryTakesOver(store)
                    return (.created, Data("first".utf8))
                }
            }
            #expect(error?.status == .conflict)
            // Nothing stored under the key: it is still the retry's to answer.
            let again = try await store.begin(scope: "u1", key: "k", requestHash: Hex.sha256(of: Self.body), owner: "fourth", now: Date())
            #expect(again == .inProgress)
        }
    }

    /// A duplicate that can't wait for the first attempt is told so with its own code and when to
    /// come back: a client that took it as a refusal and made a new key could pay twice.
    @Test func aDuplicateWhileTheFirstRunsIsToldToComeBackWithTheSameKey() async throws {
        try await TestDatabase.with { database in
            let store = IdempotencyStore(database: database, lease: 20)
            let requests = IdempotentRequest(store: store, clock: { Date() })
            let began = try await store.begin(scope: "u1", key: "k", requestHash: Hex.sha256(of: Self.body), owner: "first", now: Date())
            #expect(began == .started)
            let error = await #expect(throws: AppError.self) {
                try await requests.perform(scope: "u1", key: "k", body: Self.body) { _ in (.created, Data("second".utf8)) }
            }
            #expect(error?.status == .conflict && error?.code == "IDEMPOTENCY_KEY_IN_USE")
            #expect(error?.headers[.retryAfter] != nil)
        }
    }
}
