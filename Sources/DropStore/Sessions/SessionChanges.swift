import DropCore
import Foundation
import SQLKit

/// How every process's session cache hears that a user's sessions or role changed (logout,
/// logout everywhere, erasure, a role granted or taken away).
///
/// Call `changed(userId:on:)` on the same `db` as the change. On PostgreSQL it queues a NOTIFY that
/// the database delivers to every listening process when the transaction commits; in this process
/// the caches are told at once and, inside `Database.transaction`, again right after COMMIT, so a
/// read that raced the uncommitted change cannot leave a stale entry behind.
public enum SessionChanges {
    public static let channel = "drop_session_changes"

    public static func changed(userId: String, on db: any SQLDatabase) async throws {
        let pending = Self.pending
        if db.dialect.name == "postgresql" {
            // The nonce lets the committing process wait until the notification is out (`Database.transaction`).
            try await db.raw("SELECT pg_notify(\(bind: channel), \(bind: userId + " " + (pending?.nonce ?? "-")))").run()
        }
        pending?.add(userId)
        hub.publish(userId)
    }

    /// A listener's heartbeat (`SessionChangeListener`), sent through the pool to prove the listener hears the
    /// channel: "heartbeat <nonce>". A user id is a UUID, so it is never taken for one.
    static func sendHeartbeat(_ nonce: String, on db: any SQLDatabase) async throws {
        try await db.raw("SELECT pg_notify(\(bind: channel), \(bind: heartbeatPrefix + nonce))").run()
    }

    /// The nonce of a heartbeat's payload; nil for a user's change.
    static func heartbeatNonce(in payload: String) -> String? {
        payload.hasPrefix(heartbeatPrefix) ? String(payload.dropFirst(heartbeatPrefix.count)) : nil
    }

    private static let heartbeatPrefix = "heartbeat "

    /// The caches of this process. Handlers get a user id, or nil for "forget everything".
    public static let hub = Hub()

    public final class Hub: @unchecked Sendable {
        private let lock = NSLock()

        /// `SessionChanges.hub` is the process's; a test makes its own to keep a cache from every other test's changes.
        public init() {}

        private func locked<T>(_ body: () throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body()
        }

        private var subscribers: [ObjectIdentifier: @Sendable (String?) -> Void] = [:]

        /// Keeps `handler` until `unsubscribe(owner)`; the owner's identity is the key.
        public func subscribe(_ owner: AnyObject, _ handler: @escaping @Sendable (String?) -> Void) {
            locked { subscribers[ObjectIdentifier(owner)] = handler }
        }

        public func unsubscribe(_ owner: AnyObject) {
            locked { _ = subscribers.removeValue(forKey: ObjectIdentifier(owner)) }
        }

        public func publish(_ userId: String?) {
            let handlers = locked { Array(subscribers.values) }
            for handler in handlers { handler(userId) }
        }
    }

    /// The users a running `Database.transaction` changed, announced again after its COMMIT.
    final class Pending: @unchecked Sendable {
        // Made for every write, most of which change no session: an id from getrandom(2), not
        // Foundation's UUID(), which opens /dev/urandom each time.
        let nonce = RecordID.make()
        private let lock = NSLock()

        private func locked<T>(_ body: () throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body()
        }

        private var users: Set<String> = []

        func add(_ userId: String) { locked { _ = users.insert(userId) } }
        var changed: Set<String> { locked { users } }
    }

    @TaskLocal static var pending: Pending?
}
