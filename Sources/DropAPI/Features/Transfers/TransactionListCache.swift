import Foundation
import NIOCore

/// The newest page of each customer's transaction list, as the API last sent it (JSON, ready to send).
///
/// Never stale: an entry is served only under the `TransactionListVersion` it was read under, and
/// that number is read from the database on every request before anything else, so a write that
/// committed anywhere (this process, another instance, a worker) is seen by the next read. A page
/// read while a write commits carries the number from before the write and so is never served.
/// A hit costs one indexed lookup instead of the page query, decoding its rows and encoding JSON.
///
/// Bounded by bytes: the oldest entries go first. `maxAge` keeps an erased customer's page from
/// lingering in memory (its number changed, so it would not be served anyway).
final class TransactionListCache: @unchecked Sendable {
    struct Key: Hashable {
        let userId: String
        let limit: Int
    }

    private struct Entry {
        let version: Int64
        let json: ByteBuffer
        let storedAt: ContinuousClock.Instant
    }

    private let lock = NSLock()

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private var entries: [Key: Entry] = [:]
    /// Keys by when they were first stored, oldest first (a key may appear again after its entry went).
    private var order = CircularBuffer<Key>()
    private var bytes = 0
    let maxBytes: Int
    let maxAge: Duration

    init(maxBytes: Int = 64 << 20, maxAge: Duration = .seconds(600)) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
    }

    /// The page stored for `key` if it was read under `version`.
    func json(for key: Key, version: Int64) -> ByteBuffer? {
        locked {
            guard let entry = entries[key], entry.version == version else { return nil }
            guard ContinuousClock.now - entry.storedAt < maxAge else {
                remove(key)
                return nil
            }
            return entry.json
        }
    }

    /// Keeps `json`, read under `version`, unless a page read under a later number is already here.
    func store(_ json: ByteBuffer, for key: Key, version: Int64) {
        guard json.readableBytes <= maxBytes else { return }
        locked {
            if let current = entries[key] {
                guard current.version <= version else { return }
                remove(key)
            }
            while bytes + json.readableBytes > maxBytes, let oldest = order.popFirst() { remove(oldest) }
            entries[key] = Entry(version: version, json: json, storedAt: .now)
            order.append(key)
            bytes += json.readableBytes
            // Keys whose entries went by replacement or age linger in `order`; drop them once they outnumber the entries.
            if order.count > 2 * entries.count + 64 { order = CircularBuffer(order.filter { entries[$0] != nil }) }
        }
    }

    /// How many pages are held, and their size in bytes.
    var usage: (pages: Int, bytes: Int) { locked { (entries.count, bytes) } }

    private func remove(_ key: Key) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        bytes -= entry.json.readableBytes
    }
}
