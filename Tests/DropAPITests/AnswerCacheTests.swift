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

    /// An answer whose typed value is its JSON's text, so a test can tell answers apart either way.
    static func answer(_ text: String) -> AnswerCache<Key, String>.Answer { .init(value: text, json: ByteBuffer(string: text)) }

    @Test func aPageReadUnderAnOlderNumberNeverReplacesANewerOne() {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let key = Key(userId: "u1", limit: 20)
        cache.store(Self.answer("newer"), for: key, version: 7)
        cache.store(Self.answer("older"), for: key, version: 6)
        let held = cache.answer(for: key, version: 7, now: now)
        #expect(held?.value == "newer" && held?.json.map { String(buffer: $0) } == "newer")
        #expect(cache.answer(for: key, version: 6, now: now) == nil)
        #expect(cache.answer(for: Key(userId: "u1", limit: 5), version: 7, now: now) == nil)
    }

    /// The dashboard keeps its newest payments without the JSON it doesn't send: an API read of the same entry
    /// is a miss that reads it again with its JSON, which then replaces it; a page's answer never replaces
    /// one with JSON under the same number, and a later number replaces either.
    @Test func anAnswerKeptForAPageOnlyHasNoJSONForTheAPI() async throws {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let key = Key(userId: "u1", limit: 3)
        cache.store(.init(value: "page", bytes: 100), for: key, version: 4)
        #expect(cache.answer(for: key, version: 4, now: now)?.value == "page")
        #expect(cache.answer(for: key, version: 4, now: now, withJSON: true) == nil)
        #expect(cache.usage.bytes == 100)

        var counted: [Bool] = []
        let read = try await cache.answer(for: key, version: 4, now: now, counted: { counted.append($0) }) { (Self.answer("api"), .distantFuture) }
        #expect(read.json.map { String(buffer: $0) } == "api" && counted == [false])
        #expect(cache.answer(for: key, version: 4, now: now, withJSON: true)?.value == "api" && cache.usage.bytes == 6)

        cache.store(.init(value: "page again", bytes: 100), for: key, version: 4)
        #expect(cache.answer(for: key, version: 4, now: now)?.value == "api")
        cache.store(.init(value: "newer page", bytes: 100), for: key, version: 5)
        #expect(cache.answer(for: key, version: 5, now: now)?.value == "newer page" && cache.usage.answers == 1)
    }

    /// A page kept in the database comes back as JSON alone (ADR 0023): it serves the API, a page's read of it is a
    /// miss, and the typed value that read brings completes the entry under the same number.
    @Test func anAnswerKeptAsJSONAloneIsCompletedByAPagesRead() throws {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let key = Key(userId: "u1", limit: 20)
        #expect(!cache.holds(key))
        cache.store(.init(json: ByteBuffer(string: "kept")), for: key, version: 4)
        #expect(cache.holds(key) && cache.usage.bytes == 4)
        #expect(cache.answer(for: key, version: 4, now: now, withJSON: true)?.json.map { String(buffer: $0) } == "kept")
        #expect(cache.answer(for: key, version: 4, now: now) == nil)

        cache.store(.init(value: "page", bytes: 100), for: key, version: 4)
        let both = try #require(cache.answer(for: key, version: 4, now: now))
        #expect(try both.typed() == "page" && both.json.map { String(buffer: $0) } == "kept" && cache.usage.bytes == 8)
        // A whole answer under the same number adds nothing to it; one under a later number replaces it.
        cache.store(Self.answer("again"), for: key, version: 4)
        #expect(try cache.answer(for: key, version: 4, now: now)?.typed() == "page")
        cache.store(.init(json: ByteBuffer(string: "newer")), for: key, version: 5)
        #expect(cache.answer(for: key, version: 5, now: now) == nil && cache.usage.answers == 1)
    }

    /// What a page makes from an answer is made once per key and kept with that answer: served while the
    /// answer is, and a new answer (its number moved) starts with nothing.
    @Test func whatAPageMadeFromAnAnswerIsKeptWithIt() {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let key = Key(userId: "u1", limit: 3)
        cache.store(.init(value: "page", bytes: 100), for: key, version: 1)
        var made = 0
        for _ in 0..<3 {
            let markup = cache.answer(for: key, version: 1, now: now)?.renderings.markup("rows.en") { made += 1; return "<ul>en</ul>" }
            #expect(markup == "<ul>en</ul>")
        }
        #expect(cache.answer(for: key, version: 1, now: now)?.renderings.markup("rows.nb") { made += 1; return "<ul>nb</ul>" } == "<ul>nb</ul>")
        #expect(made == 2 && cache.answer(for: key, version: 1, now: now)?.renderings.count == 2)
        cache.store(.init(value: "newer", bytes: 100), for: key, version: 2)
        #expect(cache.answer(for: key, version: 2, now: now)?.renderings.count == 0)
    }

    /// Answers stored in the same second (a crowd after a restart) are not all read again in the same
    /// second ten minutes later: each is kept for its own share of `maxAge`, between half and all.
    @Test func answersStoredTogetherDoNotAllAgeOutTogether() {
        let sevenMinutesAgo = ContinuousClock.now - .seconds(420)
        let key = Key(userId: "u-share", limit: 20)
        // Stored 7 minutes ago: kept for half of 10 minutes it is gone, kept for all of them it is still served.
        let half = AnswerCache<Key, String>(maxBytes: 1 << 20, keptShare: { 0.5 })
        half.store(Self.answer("page"), for: key, version: 1, storedAt: sevenMinutesAgo)
        #expect(half.answer(for: key, version: 1, now: now) == nil)
        let whole = AnswerCache<Key, String>(maxBytes: 1 << 20, keptShare: { 1 })
        whole.store(Self.answer("page"), for: key, version: 1, storedAt: sevenMinutesAgo)
        #expect(whole.answer(for: key, version: 1, now: now)?.value == "page")

        // The default spreads the shares over [0.5, 1]: 1,000 answers stored 7.5 minutes ago, about half still served.
        let spread = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let storedAt = ContinuousClock.now - .seconds(450)
        for user in 0..<1_000 { spread.store(Self.answer("p"), for: Key(userId: "u\(user)", limit: 20), version: 1, storedAt: storedAt) }
        let served = (0..<1_000).filter { spread.answer(for: Key(userId: "u\($0)", limit: 20), version: 1, now: now) != nil }.count
        #expect((300...700).contains(served))
    }

    /// An answer is counted at twice its JSON: the typed value beside it takes about as much.
    @Test func theOldestPagesGoFirstWhenMemoryIsFull() {
        let cache = AnswerCache<Key, String>(maxBytes: 60)
        let page = Self.answer(String(repeating: "x", count: 10))
        for user in 1...4 { cache.store(page, for: .init(userId: "u\(user)", limit: 20), version: 1) }
        #expect(cache.usage.answers == 3 && cache.usage.bytes == 60)
        #expect(cache.answer(for: .init(userId: "u1", limit: 20), version: 1, now: now) == nil)
        #expect(cache.answer(for: .init(userId: "u4", limit: 20), version: 1, now: now) != nil)
        // Replaced pages free their bytes, and a page stored again and again doesn't grow the eviction order;
        // a page larger than all memory is not kept.
        for version in 2...1_000 { cache.store(page, for: .init(userId: "u4", limit: 20), version: Int64(version)) }
        #expect(cache.usage.answers == 3 && cache.usage.bytes == 60 && cache.usage.keysInOrder <= 2 * 3 + 64 + 1)
        #expect(cache.answer(for: .init(userId: "u4", limit: 20), version: 1_000, now: now) != nil)
        cache.store(Self.answer(String(repeating: "y", count: 31)), for: .init(userId: "u5", limit: 20), version: 1)
        #expect(cache.answer(for: .init(userId: "u5", limit: 20), version: 1, now: now) == nil && cache.usage.answers == 3)
    }

    @Test func pagesAreForgottenAfterTheirMaximumAge() async throws {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20, maxAge: .milliseconds(1))
        let key = Key(userId: "u1", limit: 20)
        cache.store(Self.answer("page"), for: key, version: 1)
        try await Task.sleep(for: .milliseconds(5))
        #expect(cache.answer(for: key, version: 1, now: now) == nil && cache.usage.answers == 0)
    }

    /// A balance is kept only until it would be asked of the bank again.
    @Test func anAnswerIsNotServedPastItsMoment() {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let key = Key(userId: "u1", limit: 1)
        cache.store(Self.answer("balance"), for: key, version: 3, servableUntil: now.addingTimeInterval(300))
        #expect(cache.answer(for: key, version: 3, now: now.addingTimeInterval(300))?.value == "balance")
        #expect(cache.answer(for: key, version: 3, now: now.addingTimeInterval(301)) == nil)
    }

    @Test func anAnswerReadWithoutAMomentIsNotKept() async throws {
        let cache = AnswerCache<Key, String>(maxBytes: 1 << 20)
        let key = Key(userId: "u1", limit: 1)
        var counted: [Bool] = []
        var reads = 0
        for _ in 0..<2 {
            let read = try await cache.answer(for: key, version: 1, now: now, counted: { counted.append($0) }) {
                reads += 1
                return (Self.answer("stale balance"), nil)
            }
            #expect(read.value == "stale balance")
        }
        #expect(reads == 2 && counted == [false, false] && cache.usage.answers == 0)
        _ = try await cache.answer(for: key, version: 1, now: now, counted: { counted.append($0) }) { (Self.answer("fresh"), .distantFuture) }
        let held = try await cache.answer(for: key, version: 1, now: now, counted: { counted.append($0) }) { (Self.answer("read again"), nil) }
        #expect(held.value == "fresh" && counted == [false, false, false, true])
    }
}
