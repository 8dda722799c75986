import Foundation
import NIOCore
import Testing
@testable import DropAPI

/// What a process keeps of an answer (`AnswerCache`): only under the number it was read under,
/// never past its moment, never beyond its memory.
@Suite("Answers kept in memory")
struct AnswerCacheTests {
    typealias Key = TransactionService.ListKey
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func aPageReadUnderAnOlderNumberNeverReplacesANewerOne() {
        let cache = AnswerCache<Key>()
        let key = Key(userId: "u1", limit: 20)
        cache.store(ByteBuffer(string: "newer"), for: key, version: 7)
        cache.store(ByteBuffer(string: "older"), for: key, version: 6)
        #expect(cache.json(for: key, version: 7, now: now).map { String(buffer: $0) } == "newer")
        #expect(cache.json(for: key, version: 6, now: now) == nil)
        #expect(cache.json(for: Key(userId: "u1", limit: 5), version: 7, now: now) == nil)
    }

    @Test func theOldestPagesGoFirstWhenMemoryIsFull() {
        let cache = AnswerCache<Key>(maxBytes: 30)
        let page = ByteBuffer(string: String(repeating: "x", count: 10))
        for user in 1...4 { cache.store(page, for: .init(userId: "u\(user)", limit: 20), version: 1) }
        #expect(cache.usage.answers == 3 && cache.usage.bytes == 30)
        #expect(cache.json(for: .init(userId: "u1", limit: 20), version: 1, now: now) == nil)
        #expect(cache.json(for: .init(userId: "u4", limit: 20), version: 1, now: now) != nil)
        // Replaced pages free their bytes, and a page stored again and again doesn't grow the eviction order;
        // a page larger than all memory is not kept.
        for version in 2...1_000 { cache.store(page, for: .init(userId: "u4", limit: 20), version: Int64(version)) }
        #expect(cache.usage.answers == 3 && cache.usage.bytes == 30 && cache.usage.keysInOrder <= 2 * 3 + 64 + 1)
        #expect(cache.json(for: .init(userId: "u4", limit: 20), version: 1_000, now: now) != nil)
        cache.store(ByteBuffer(string: String(repeating: "y", count: 31)), for: .init(userId: "u5", limit: 20), version: 1)
        #expect(cache.json(for: .init(userId: "u5", limit: 20), version: 1, now: now) == nil && cache.usage.answers == 3)
    }

    @Test func pagesAreForgottenAfterTheirMaximumAge() async throws {
        let cache = AnswerCache<Key>(maxAge: .milliseconds(1))
        let key = Key(userId: "u1", limit: 20)
        cache.store(ByteBuffer(string: "page"), for: key, version: 1)
        try await Task.sleep(for: .milliseconds(5))
        #expect(cache.json(for: key, version: 1, now: now) == nil && cache.usage.answers == 0)
    }

    /// A balance is kept only until it would be asked of the bank again.
    @Test func anAnswerIsNotServedPastItsMoment() {
        let cache = AnswerCache<String>()
        cache.store(ByteBuffer(string: "balance"), for: "u1", version: 3, servableUntil: now.addingTimeInterval(300))
        #expect(cache.json(for: "u1", version: 3, now: now.addingTimeInterval(300)).map { String(buffer: $0) } == "balance")
        #expect(cache.json(for: "u1", version: 3, now: now.addingTimeInterval(301)) == nil)
    }

    @Test func anAnswerReadWithoutAMomentIsNotKept() async throws {
        let cache = AnswerCache<String>()
        var counted: [Bool] = []
        var reads = 0
        for _ in 0..<2 {
            let json = try await cache.answer(for: "u1", version: 1, now: now, counted: { counted.append($0) }) {
                reads += 1
                return (ByteBuffer(string: "stale balance"), nil)
            }
            #expect(String(buffer: json) == "stale balance")
        }
        #expect(reads == 2 && counted == [false, false] && cache.usage.answers == 0)
        _ = try await cache.answer(for: "u1", version: 1, now: now, counted: { counted.append($0) }) { (ByteBuffer(string: "fresh"), .distantFuture) }
        let held = try await cache.answer(for: "u1", version: 1, now: now, counted: { counted.append($0) }) { (ByteBuffer(string: "read again"), nil) }
        #expect(String(buffer: held) == "fresh" && counted == [false, false, false, true])
    }
}
