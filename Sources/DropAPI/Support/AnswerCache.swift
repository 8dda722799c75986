import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Answers as last read, each kept under the number the database held for it when it was read:
/// the newest page of each customer's transaction list (`TransactionListVersion`, ADR 0012) and each
/// customer's balance (`BalanceVersion`, ADR 0013). An answer is kept twice over: as the typed value
/// the web's pages render from and as the JSON the API sends, so a page and an API read share it.
///
/// Never stale: an entry is served only under the number it was read under, and that number is read
/// from the database on every request before anything else, so a write that committed anywhere
/// (this process, another instance, a worker) is seen by the next read. An answer read while a write
/// commits carries the number from before the write and so is never served. A hit costs one indexed
/// lookup instead of the query, decoding its rows and encoding JSON. An answer that goes out of date
/// with time alone (a balance older than five minutes is asked of the bank again) is stored with the
/// moment it stops being servable.
///
/// Bounded by bytes: the oldest entries go first. `maxAge` keeps an erased customer's answer from
/// lingering in memory (its number changed, so it would not be served anyway). Each entry is kept for
/// its own share of it (`KeptShare`), so answers stored together are not all read again together.
final class AnswerCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// One answer, typed and as JSON; without its JSON when only a page asked for it (the dashboard's newest
    /// payments): encoding an answer nobody sends was about 5 % of the server's CPU while a crowd's first
    /// visits were being served. An API read of such an entry reads the answer again, with its JSON.
    /// Without its typed value when it came as JSON from the database (ADR 0023); a page's read of such an
    /// entry reads the answer again, typed.
    struct Answer: Sendable {
        let value: Value?
        let json: ByteBuffer?
        /// What it costs in memory, estimated.
        let bytes: Int
        /// What pages made from it (HTML the size of a few rows; within `bytes`' estimate).
        let renderings = KeptRenderings()

        /// The typed value takes about as much as its JSON.
        init(value: Value, json: ByteBuffer) {
            self.value = value
            self.json = json
            self.bytes = 2 * json.readableBytes
        }

        /// For a page only; `bytes` is the typed value's size as its JSON would count it.
        init(value: Value, bytes: Int) {
            self.value = value
            self.json = nil
            self.bytes = bytes
        }

        /// For the API only: the JSON as the database kept it.
        init(json: ByteBuffer) {
            self.value = nil
            self.json = json
            self.bytes = json.readableBytes
        }

        /// Holds what a caller asking `withJSON` or not needs.
        func serves(withJSON: Bool) -> Bool { withJSON ? json != nil : value != nil }

        /// The typed value, which an answer looked up or read without `withJSON` has.
        func typed() throws -> Value {
            guard let value else { throw IncompleteAnswer() }
            return value
        }

        /// The JSON, made from the typed value where this answer was kept without it.
        func encoded(_ encode: (Value) -> ByteBuffer) throws -> ByteBuffer {
            if let json { return json }
            return encode(try typed())
        }
    }

    /// An answer without the half its caller needs: `answer(for:…)` never gives one out, so this is a bug.
    struct IncompleteAnswer: Error {}

    private struct Entry {
        let version: Int64
        let answer: Answer
        /// Not served after this, whatever the number says (its share of `maxAge`).
        let keptUntil: ContinuousClock.Instant
        /// After this (by the service's clock) the answer is not served whatever the number says.
        let servableUntil: Date
    }

    private struct Answers {
        var entries: [Key: Entry] = [:]
        /// Keys by when they were first stored, oldest first (a key may appear again after its entry went).
        var order = CircularBuffer<Key>()
        var bytes = 0

        mutating func remove(_ key: Key) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            bytes -= entry.answer.bytes
        }
    }

    private let answers = NIOLockedValueBox(Answers())
    let maxBytes: Int
    let maxAge: Duration
    /// The share of `maxAge` an entry is kept for (tests fix it).
    let keptShare: @Sendable () -> Double

    init(maxBytes: Int, maxAge: Duration = .seconds(600), keptShare: @escaping @Sendable () -> Double = KeptShare.random) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.keptShare = keptShare
    }

    /// The answer stored for `key` if it was read under `version` and is still servable at `now` (and has its
    /// JSON, when `withJSON`).
    func answer(for key: Key, version: Int64, now: Date, withJSON: Bool = false) -> Answer? {
        answers.withLockedValue { held in
            guard let entry = held.entries[key], entry.version == version, now <= entry.servableUntil,
                  entry.answer.serves(withJSON: withJSON) else { return nil }
            guard ContinuousClock.now < entry.keptUntil else {
                held.remove(key)
                return nil
            }
            return entry.answer
        }
    }

    /// Whether anything is held for `key`, under any number. A caller holding nothing of a customer reads their
    /// number together with what the database keeps for them (ADR 0023).
    func holds(_ key: Key) -> Bool {
        answers.withLockedValue { $0.entries[key] != nil }
    }

    /// Keeps `answer`, read under `version`, unless an answer read under a later number is already here. One under
    /// the same number is completed with what `answer` adds to it (its typed value, or its JSON).
    /// `storedAt` is now but for tests that look back in time.
    func store(_ answer: Answer, for key: Key, version: Int64, servableUntil: Date = .distantFuture,
               storedAt: ContinuousClock.Instant = .now) {
        guard answer.bytes <= maxBytes else { return }
        answers.withLockedValue { held in
            var answer = answer
            if let current = held.entries[key] {
                guard current.version <= version else { return }
                if current.version == version {
                    // The half it lacks (the typed value a page read, or the JSON the API sent): kept with it.
                    guard current.answer.value == nil || current.answer.json == nil,
                          let value = answer.value ?? current.answer.value, let json = answer.json ?? current.answer.json else { return }
                    answer = Answer(value: value, json: json)
                }
                held.remove(key)
            }
            while held.bytes + answer.bytes > maxBytes, let oldest = held.order.popFirst() { held.remove(oldest) }
            held.entries[key] = Entry(version: version, answer: answer, keptUntil: KeptShare.until(storedAt: storedAt, maxAge: maxAge, share: keptShare),
                                      servableUntil: servableUntil)
            held.order.append(key)
            held.bytes += answer.bytes
            // A key stored again, or whose entry aged out, lingers in `order`: once those outnumber
            // the entries, keep each live key once.
            if held.order.count > 2 * held.entries.count + 64 {
                var kept = Set<Key>()
                let live = held.entries
                held.order = CircularBuffer(held.order.filter { live[$0] != nil && kept.insert($0).inserted })
            }
        }
    }

    /// How many answers are held, their size in bytes, and how many keys wait in the eviction order.
    var usage: (answers: Int, bytes: Int, keysInOrder: Int) { answers.withLockedValue { ($0.entries.count, $0.bytes, $0.order.count) } }
}

extension AnswerCache {
    /// The answer for `key`: the one held, when it was read under `version` (read from the database
    /// just before) and is servable at `now`; otherwise `read()`'s, kept until its `servableUntil`
    /// (nil: not kept, e.g. an answer the bank could not bring up to date). `withJSON`: an answer held without
    /// its JSON is a miss. `counted` hears each hit or miss.
    func answer(
        for key: Key, version: Int64, now: Date, withJSON: Bool = true, counted: (_ hit: Bool) -> Void,
        read: () async throws -> (answer: Answer, servableUntil: Date?)
    ) async throws -> Answer {
        if let held = answer(for: key, version: version, now: now, withJSON: withJSON) {
            counted(true)
            return held
        }
        counted(false)
        let (answer, servableUntil) = try await read()
        if let servableUntil { store(answer, for: key, version: version, servableUntil: servableUntil) }
        return answer
    }
}
