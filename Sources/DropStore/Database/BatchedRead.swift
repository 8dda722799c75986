import DropCore
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit

/// A read every request makes for its own customer (their session, the numbers their kept answers
/// stand under), written for many customers at once: `$1` is the keys, as a JSON array of strings
/// (one text bind, however many keys), and `values(from:)` sorts the rows back to their keys.
/// `ReadBatcher` sends it.
public protocol BatchedRead: PreparedRead {
    associatedtype Value: Sendable
    associatedtype Alone: PreparedRead
    /// The same read for one key, as plain as a read of one key is (`= $1`, no JSON): what a
    /// request sends when it goes alone, most of the time. `values(from:)` reads its rows too.
    static func alone(_ key: String) -> Alone
    /// Each key's value from the rows of one statement; a key without one has none.
    static func values(from rows: [any SQLRow]) throws -> [String: Value]
    init(keys: [String])
    var keys: [String] { get }
}

/// A `BatchedRead` whose keys are one column's values.
public protocol BatchedColumnRead: BatchedRead where Alone == OneKey<Self> {
    /// The statement, `isKey` being what makes a column one of the keys: `WHERE s.id \(isKey)`.
    static func sql(isKey: String) -> String
}

extension BatchedColumnRead {
    /// PostgreSQL finds the keys through the column's index only as an array (`IN (SELECT …)` of
    /// a function is planned as a scan of the whole table); SQLite does either.
    public static var sql: String {
        StatementStrings.once(.sql, of: Self.self) { sql(isKey: "= ANY(ARRAY(SELECT json_array_elements_text($1::json)))") }
    }
    public static var sqliteSQL: String? { StatementStrings.once(.sqliteSQL, of: Self.self) { sql(isKey: "IN (SELECT value FROM json_each($1))") } }

    public static func alone(_ key: String) -> OneKey<Self> { OneKey(key: key) }
}

/// A column read's statement for one key, prepared on PostgreSQL under a name of its own.
public struct OneKey<Read: BatchedColumnRead>: PreparedRead {
    public static var sql: String { StatementStrings.once(.sql, of: Self.self) { Read.sql(isKey: "= $1") } }
    let key: String
    public var parameters: [String] { [key] }
}

extension BatchedRead {
    public var parameters: [String] {
        // Keys are ids; JSONString escapes whatever they hold, so a key is only ever data.
        [JSONString.array(keys)]
    }
}

/// Sends one `BatchedRead` for the requests that ask while earlier ones are still out.
///
/// Under a light load every read goes alone, as soon as it is asked: up to `maxOut` are out at
/// once. Past that, requests wait, and when a read comes back the longest waiting request sends
/// the next one for every request waiting then (up to `maxKeys`), so a crowd's reads cost a few
/// statements instead of one each. That is what a restart under a crowd pays for: every customer's
/// first request asks for their session, and every request for its answer's number (bench/README,
/// "Reads sent together").
///
/// Each key is still read by a statement that starts after its request asked, so what a request
/// sees is never older than what it would have read alone: a session revoked before the request
/// arrived is seen revoked, a number moved before it is seen moved.
///
/// A waiting request is woken on the event loop it waited on. With tasks on the event loops
/// (ADR 0016) a task goes on where it is woken, so waking every waiter from the loop the read came
/// back on had moved a crowd's whole first visit there: one core busy, the other idle (ADR 0021).
public final class ReadBatcher<Read: BatchedRead>: Sendable {
    typealias Outcome = Result<Read.Value?, any Error>

    private enum Wake: Sendable {
        case answered(Outcome)
        /// Send the next read: for this request's key and these waiting requests'.
        case send([Waiter])
    }

    private struct Waiter: Sendable {
        let key: String
        let continuation: CheckedContinuation<Wake, Never>
        /// The event loop the request was running on when it began to wait; nil off the loops.
        let home: (any EventLoop)?

        func wake(_ wake: Wake) {
            guard let home, !home.inEventLoop else { return continuation.resume(returning: wake) }
            home.execute { continuation.resume(returning: wake) }
        }
    }

    private struct State {
        var out = 0
        var waiting: [Waiter] = []

        /// One more read out, if fewer than `maxOut` are.
        mutating func takeSlot(_ maxOut: Int) -> Bool {
            guard out < maxOut else { return false }
            out += 1
            return true
        }
    }

    private let state = NIOLockedValueBox(State())
    let maxOut: Int
    let maxKeys: Int
    private let read: @Sendable ([String]) async throws -> [String: Read.Value]
    private let currentLoop: @Sendable () -> (any EventLoop)?

    /// `read` runs one statement for the keys given and returns what it found. `currentLoop` says
    /// which event loop the caller runs on (tests give their own).
    public init(maxOut: Int = 4, maxKeys: Int = 500,
                currentLoop: @escaping @Sendable () -> (any EventLoop)? = { MultiThreadedEventLoopGroup.currentEventLoop },
                read: @escaping @Sendable ([String]) async throws -> [String: Read.Value]) {
        self.maxOut = max(1, maxOut)
        self.maxKeys = max(1, maxKeys)
        self.currentLoop = currentLoop
        self.read = read
    }

    /// Reads out now, and requests waiting for a slot (tests watch them).
    var out: Int { state.withLockedValue { $0.out } }
    var waiting: Int { state.withLockedValue { $0.waiting.count } }

    /// `key`'s value, nil when the database has none.
    public func value(for key: String) async throws -> Read.Value? {
        if state.withLockedValue({ $0.takeSlot(maxOut) }) {
            return try await send(key: key, with: []).get()
        }
        let home = currentLoop()
        let wake = await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
            // A read may have come back since the first look: then there is a slot after all.
            let sendNow = state.withLockedValue { state in
                if state.takeSlot(maxOut) { return true }
                state.waiting.append(Waiter(key: key, continuation: continuation, home: home))
                return false
            }
            if sendNow { continuation.resume(returning: .send([])) }
        }
        switch wake {
        case .answered(let outcome): return try outcome.get()
        case .send(let others): return try await send(key: key, with: others).get()
        }
    }

    /// Reads `key` with `others`' keys in one statement and answers the others; then the slot goes
    /// to the longest waiting request with those behind it, or is given back.
    private func send(key: String, with others: [Waiter]) async -> Outcome {
        let found: Result<[String: Read.Value], any Error>
        if others.isEmpty {
            do { found = .success(try await read([key])) } catch { found = .failure(error) }
        } else {
            // Not this request's task: its cancellation (the client went away) must not fail the others.
            var keys = Set(others.map(\.key))
            keys.insert(key)
            let task = Task { [read, keys] in try await read(Array(keys)) }
            found = await task.result
        }
        for waiter in others { waiter.wake(.answered(found.map { $0[waiter.key] })) }
        let next = state.withLockedValue { state -> [Waiter]? in
            guard !state.waiting.isEmpty else {
                state.out -= 1
                return nil
            }
            let batch = Array(state.waiting.prefix(maxKeys))
            state.waiting.removeFirst(batch.count)
            return batch
        }
        if let next, let first = next.first { first.wake(.send(Array(next.dropFirst()))) }
        return found.map { $0[key] }
    }
}

/// One `ReadBatcher` per `BatchedRead` for a database, made on first use.
final class ReadBatchers: Sendable {
    private let batchers = NIOLockedValueBox([ObjectIdentifier: any AnyObject & Sendable]())

    func batcher<Read: BatchedRead>(_ read: Read.Type, make: () -> ReadBatcher<Read>) -> ReadBatcher<Read> {
        batchers.withLockedValue { batchers in
            // Keyed by the read's type, so the one found is that read's batcher.
            if let batcher = batchers[ObjectIdentifier(read)] { return unsafeDowncast(batcher, to: ReadBatcher<Read>.self) }
            let batcher = make()
            batchers[ObjectIdentifier(read)] = batcher
            return batcher
        }
    }
}

extension Database {
    /// `key`'s value from `Read`, sent alone or with other requests' keys (`ReadBatcher`).
    /// Outside any transaction: a transaction's reads go on its own connection.
    public func batched<Read: BatchedRead>(_ read: Read.Type, key: String) async throws -> Read.Value? {
        try await batchers.batcher(read) {
            ReadBatcher { [self] keys in
                try await withConnection { db in
                    try Read.values(from: keys.count == 1 ? try await db.rows(Read.alone(keys[0])) : try await db.rows(Read(keys: keys)))
                }
            }
        }.value(for: key)
    }
}
