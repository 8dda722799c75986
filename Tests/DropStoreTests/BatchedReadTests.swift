@testable import DropStore
import DropTestSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import Testing

/// The probe table's numbers for many keys in one statement.
struct ProbeBatch: BatchedColumnRead {
    static func sql(isKey: String) -> String { "SELECT k, n FROM prepared_probe WHERE k \(isKey)" }

    static func values(from rows: [any SQLRow]) throws -> [String: Int] {
        var numbers: [String: Int] = [:]
        for row in rows { numbers[try row.decode(column: "k", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        return numbers
    }

    let keys: [String]
}

/// A batcher's reads as a test sees them: each is recorded, then held until the test lets it
/// answer from `table` (or fail).
final class HeldReads: @unchecked Sendable {
    struct Failed: Error {}

    private let lock = NSLock()
    private var calls: [[String]] = []
    private var held: [Int: CheckedContinuation<Void, Never>] = [:]
    private var released: Set<Int> = []
    private var failing: Set<Int> = []
    private var holds = true
    private var table: [String: Int]

    init(_ table: [String: Int], holds: Bool = true) {
        self.table = table
        self.holds = holds
    }

    /// The keys of every read sent so far, in order, each sorted.
    var sent: [[String]] { lock.withLock { calls } }

    func read(_ keys: [String]) async throws -> [String: Int] {
        let call = lock.withLock { calls.append(keys.sorted()); return calls.count - 1 }
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if !holds || released.contains(call) { return true }
                held[call] = continuation
                return false
            }
            if now { continuation.resume() }
        }
        if holds { await Task.yield() } else { try await Task.sleep(for: .microseconds(50)) }
        return try lock.withLock {
            if failing.contains(call) { throw Failed() }
            return table.filter { keys.contains($0.key) }
        }
    }

    /// Lets read number `call` (from 0) answer, or fail.
    func release(_ call: Int, failing fails: Bool = false) {
        let continuation = lock.withLock {
            released.insert(call)
            if fails { failing.insert(call) }
            return held.removeValue(forKey: call)
        }
        continuation?.resume()
    }

    func set(_ key: String, _ value: Int?) { lock.withLock { table[key] = value } }
}

/// Waits (up to five seconds) until `condition` holds: for the tasks a test started to reach the
/// point it checks, never to time anything.
func eventually(_ condition: () -> Bool) async throws {
    for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
    #expect(condition())
}

/// Reads that every request makes for its own customer go alone under a light load and together
/// under a crowd, each request getting its own answer, read after it asked.
@Suite("Batched reads")
struct BatchedReadTests {
    static func batcher(_ reads: HeldReads, maxOut: Int) -> ReadBatcher<ProbeBatch> {
        ReadBatcher(maxOut: maxOut) { try await reads.read($0) }
    }

    @Test func aReadGoesAloneWhileFewerThanMaxOutAreOut() async throws {
        let reads = HeldReads(["a": 1, "b": 2, "c": 3])
        let batcher = Self.batcher(reads, maxOut: 2)
        async let a = batcher.value(for: "a")
        async let b = batcher.value(for: "b")
        try await eventually { reads.sent.count == 2 }
        #expect(Set(reads.sent) == [["a"], ["b"]] && batcher.out == 2)
        async let c = batcher.value(for: "c")
        try await eventually { batcher.waiting == 1 }
        reads.release(0)
        reads.release(1)
        reads.release(2)
        #expect(try await [a, b, c] == [1, 2, 3])
        #expect(reads.sent.count == 3 && reads.sent[2] == ["c"])
        #expect(batcher.out == 0 && batcher.waiting == 0)
    }

    @Test func requestsThatAskWhileAReadIsOutGoTogetherAndEachGetsItsOwn() async throws {
        let reads = HeldReads(["a": 1, "b": 2, "c": 3])
        let batcher = Self.batcher(reads, maxOut: 1)
        async let a = batcher.value(for: "a")
        try await eventually { reads.sent.count == 1 }
        async let b = batcher.value(for: "b")
        async let c = batcher.value(for: "c")
        async let b2 = batcher.value(for: "b")
        async let missing = batcher.value(for: "nobody")
        try await eventually { batcher.waiting == 4 }
        reads.release(0)
        reads.release(1)
        #expect(try await a == 1)
        #expect(try await [b, c, b2] == [2, 3, 2])
        #expect(try await missing == nil)
        // One statement for the four that waited, each key once.
        #expect(reads.sent == [["a"], ["b", "c", "nobody"]])
        #expect(batcher.out == 0)
    }

    /// What revocation relies on: a request that waited behind a read already out is answered by a
    /// read sent after it asked, so a change made before it asked is seen.
    @Test func aRequestThatWaitedSeesWhatChangedBeforeItAsked() async throws {
        let reads = HeldReads(["s1": 1, "s2": 2])
        let batcher = Self.batcher(reads, maxOut: 1)
        async let first = batcher.value(for: "s1")
        try await eventually { reads.sent.count == 1 }
        reads.set("s2", nil)  // revoked before the second request asks
        async let second = batcher.value(for: "s2")
        try await eventually { batcher.waiting == 1 }
        reads.release(0)
        reads.release(1)
        #expect(try await first == 1)
        #expect(try await second == nil)
    }

    @Test func aFailedReadFailsItsOwnRequestsAndTheSlotGoesOn() async throws {
        let reads = HeldReads(["a": 1, "b": 2, "c": 3, "d": 4])
        let batcher = Self.batcher(reads, maxOut: 1)
        async let a = batcher.value(for: "a")
        try await eventually { reads.sent.count == 1 }
        async let b = batcher.value(for: "b")
        async let c = batcher.value(for: "c")
        try await eventually { batcher.waiting == 2 }
        reads.release(0)
        try await eventually { reads.sent.count == 2 }
        async let d = batcher.value(for: "d")
        try await eventually { batcher.waiting == 1 }
        reads.release(1, failing: true)
        reads.release(2)
        #expect(try await a == 1)
        var failures = 0
        do { _ = try await b } catch is HeldReads.Failed { failures += 1 }
        do { _ = try await c } catch is HeldReads.Failed { failures += 1 }
        #expect(failures == 2)
        #expect(try await d == 4)
        #expect(reads.sent == [["a"], ["b", "c"], ["d"]])
        #expect(batcher.out == 0 && batcher.waiting == 0)
    }

    /// The request that sends a read for others may be cancelled (its client went away); the
    /// others still get their answers.
    @Test func theSendersCancellationDoesNotFailTheOthers() async throws {
        let reads = HeldReads(["a": 1, "b": 2, "c": 3])
        let batcher = Self.batcher(reads, maxOut: 1)
        async let a = batcher.value(for: "a")
        try await eventually { reads.sent.count == 1 }
        let sender = Task { try await batcher.value(for: "b") }
        try await eventually { batcher.waiting == 1 }
        async let c = batcher.value(for: "c")
        try await eventually { batcher.waiting == 2 }
        sender.cancel()
        reads.release(0)
        reads.release(1)
        #expect(try await a == 1)
        #expect(try await c == 3)
        #expect(try await sender.value == 2)
    }

    @Test func aCrowdGetsEveryAnswerRightInFewerReads() async throws {
        let table = Dictionary(uniqueKeysWithValues: (0..<300).map { ("k\($0)", $0) })
        let reads = HeldReads(table, holds: false)
        let batcher = Self.batcher(reads, maxOut: 2)
        let wrong = try await withThrowingTaskGroup(of: Bool.self) { group in
            for request in 0..<2_000 {
                let number = (request * 7919) % 320  // some keys have no row
                group.addTask { try await batcher.value(for: "k\(number)") == (number < 300 ? number : nil) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 0 : 1) }
        }
        #expect(wrong == 0)
        #expect(reads.sent.count < 2_000)
        #expect(batcher.out == 0 && batcher.waiting == 0)
    }

    /// The event loop a test's request "runs on": the batcher asks this instead of the thread.
    @TaskLocal static var home: (any EventLoop)?

    /// A waiting request is woken on its own event loop, not on the one the read came back on
    /// (with tasks on the event loops a task goes on where it is woken). The loop is held busy,
    /// so a wake that went anywhere else would be seen to arrive before it is let go.
    @Test func aWaitingRequestIsWokenOnItsOwnEventLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome = await Result { try await Self.wokenOnItsOwn(group.next()) }
        try await group.shutdownGracefully()
        try outcome.get()
    }

    private static func wokenOnItsOwn(_ loop: any EventLoop) async throws {
        let reads = HeldReads(["a": 1, "b": 2, "c": 3, "d": 4])
        let batcher = ReadBatcher<ProbeBatch>(maxOut: 1, currentLoop: { home }) { try await reads.read($0) }
        func hold(_ loop: any EventLoop) -> DispatchSemaphore {
            let gate = DispatchSemaphore(value: 0)
            loop.execute { gate.wait() }
            return gate
        }

        // Woken to send: `b` waited on the loop, and sends for itself and `c` only once the loop runs.
        async let a = batcher.value(for: "a")
        try await eventually { reads.sent.count == 1 }
        let b = Task { try await $home.withValue(loop) { try await batcher.value(for: "b") } }
        try await eventually { batcher.waiting == 1 }
        async let c = batcher.value(for: "c")
        try await eventually { batcher.waiting == 2 }
        var gate = hold(loop)
        reads.release(0)
        #expect(try await a == 1)
        #expect(reads.sent == [["a"]])  // `b`'s wake is queued behind the held loop
        gate.signal()
        try await eventually { reads.sent.count == 2 }
        #expect(reads.sent[1] == ["b", "c"])
        reads.release(1)
        #expect(try await b.value == 2)
        #expect(try await c == 3)

        // Woken with its answer: `d` waited on the loop behind a read that `a` sends for both.
        async let a2 = batcher.value(for: "a")
        try await eventually { reads.sent.count == 3 }
        async let b2 = batcher.value(for: "b")
        try await eventually { batcher.waiting == 1 }
        let answered = NIOLockedValueBox(false)
        let d = Task {
            let value = try await $home.withValue(loop) { try await batcher.value(for: "d") }
            answered.withLockedValue { $0 = true }
            return value
        }
        try await eventually { batcher.waiting == 2 }
        reads.release(2)
        #expect(try await a2 == 1)
        try await eventually { reads.sent.count == 4 }
        #expect(reads.sent[3] == ["b", "d"])
        gate = hold(loop)
        reads.release(3)
        #expect(try await b2 == 2)
        #expect(answered.withLockedValue { $0 } == false)
        gate.signal()
        #expect(try await d.value == 4)
        #expect(batcher.out == 0 && batcher.waiting == 0)
    }

    /// On both databases: one statement for many keys, each key only ever data (quotes,
    /// backslashes, SQL), through the database's own batcher under concurrent requests.
    @Test func theDatabaseReadsManyKeysInOneStatement() async throws {
        try await TestDatabase.with { database in
            let hostile = [#"quote"d"#, #"back\slash"#, "'); DROP TABLE prepared_probe; --", "blåbær", "tab\there"]
            try await database.withConnection { db in
                try await PreparedReadTests.makeTable(db)
                for (index, key) in hostile.enumerated() {
                    try await db.raw("INSERT INTO prepared_probe (k, n) VALUES (\(bind: key), \(bind: 10 + index))").run()
                }
                let all = try ProbeBatch.values(from: try await db.rows(ProbeBatch(keys: ["a", "b", "none"] + hostile)))
                #expect(all == ["a": 1, "b": 3, "a!": nil].compactMapValues { $0 }.merging(
                    Dictionary(uniqueKeysWithValues: hostile.enumerated().map { ($1, 10 + $0) })) { $1 })
                #expect(try ProbeBatch.values(from: try await db.rows(ProbeBatch(keys: []))).isEmpty)
                // One key goes as a plain `= $1` statement, with the same rows.
                for key in ["a", "none"] + hostile {
                    #expect(try ProbeBatch.values(from: try await db.rows(ProbeBatch.alone(key))) == all.filter { $0.key == key }, "\(key)")
                }
                #expect(OneKey<ProbeBatch>.sql == "SELECT k, n FROM prepared_probe WHERE k = $1")
            }
            let asked = (0..<200).map { ["a", "b", "none", "a!"][$0 % 4] } + hostile
            let answers = try await withThrowingTaskGroup(of: (String, Int?).self) { group in
                for key in asked { group.addTask { (key, try await database.batched(ProbeBatch.self, key: key)) } }
                return try await group.reduce(into: [(String, Int?)]()) { $0.append($1) }
            }
            let expected: [String: Int] = Dictionary(uniqueKeysWithValues: [("a", 1), ("b", 3), ("a!", 2)]
                + hostile.enumerated().map { ($1, 10 + $0) })
            #expect(answers.count == asked.count)
            for (key, answer) in answers { #expect(answer == expected[key], "\(key)") }
            #expect(try await database.withConnection { try await $0.raw("SELECT COUNT(*) AS c FROM prepared_probe").first()?
                .decode(column: "c", as: Int.self) } == 3 + hostile.count)
        }
    }

    /// A customer's accounts read with others' are theirs alone, in the order read alone, each under the
    /// customer's own number (ADR 0024).
    @Test func accountsReadTogetherAreEachCustomersOwnInOrder() async throws {
        try await TestDatabase.with { database in
            try await BalanceVersionTests.seed(database)
            for (account, user, consent) in [("a2", "u1", "c1"), ("a1", "u1", "c1"), ("b1", "u2", "c2")] {
                try await BalanceVersionTests.insertAccount(account, user: user, consent: consent, database)
            }
            let together = try await database.withConnection { db in
                try BankAccountRepository.AllOfUser.values(from: try await db.rows(BankAccountRepository.AllOfUser(keys: ["u1", "u2", "u3"])))
            }
            #expect(together.mapValues { $0.value.map(\.id) } == ["u1": ["a1", "a2"], "u2": ["b1"]])
            for user in ["u1", "u2", "u3"] {
                let alone = try await database.withConnection { try await BankAccountRepository.all(userId: user, on: $0) }
                #expect(alone == together[user]?.value ?? [])
                #expect(try await BankAccountRepository.all(userId: user, in: database) == alone)
                let number = try await BalanceVersion.current(userId: user, in: database)
                #expect(together[user]?.version == (alone.isEmpty ? nil : number), "\(user)")
                #expect(try await BankAccountRepository.allNumbered(userId: user, in: database)?.version == (alone.isEmpty ? nil : number))
            }
            #expect(try await BalanceVersion.current(userId: "u1", in: database) != BalanceVersion.current(userId: "u2", in: database))
        }
    }
}
