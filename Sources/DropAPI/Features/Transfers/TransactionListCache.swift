import Foundation
import NIOConcurrencyHelpers
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
final class TransactionListCache: Sendable {
    struct Key: Hashable {
        let userId: String
        let limit: Int
    }

    private struct Entry {
        let version: Int64
        let json: ByteBuffer
        let storedAt: ContinuousClock.Instant
    }

    private struct Pages {
        var entries: [Key: Entry] = [:]
        /// Keys by when they were first stored, oldest first (a key may appear again after its entry went).
        var order = CircularBuffer<Key>()
        var bytes = 0

        mutating func remove(_ key: Key) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            bytes -= entry.json.readableBytes
        }
    }

    private let pages = NIOLockedValueBox(Pages())
    let maxBytes: Int
    let maxAge: Duration

    init(maxBytes: Int = 64 << 20, maxAge: Duration = .seconds(600)) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
    }

    /// The page stored for `key` if it was read under `version`.
    func json(for key: Key, version: Int64) -> ByteBuffer? {
        pages.withLockedValue { pages in
            guard let entry = pages.entries[key], entry.version == version else { return nil }
            guard ContinuousClock.now - entry.storedAt < maxAge else {
                pages.remove(key)
                return nil
            }
            return entry.json
        }
    }

    /// Keeps `json`, read under `version`, unless a page read under a later number is already here.
    func store(_ json: ByteBuffer, for key: Key, version: Int64) {
        guard json.readableBytes <= maxBytes else { return }
        pages.withLockedValue { pages in
            if let current = pages.entries[key] {
                guard current.version <= version else { return }
                pages.remove(key)
            }
            while pages.bytes + json.readableBytes > maxBytes, let oldest = pages.order.popFirst() { pages.remove(oldest) }
            pages.entries[key] = Entry(version: version, json: json, storedAt: .now)
            pages.order.append(key)
            pages.bytes += json.readableBytes
            // A key stored again, or whose entry aged out, lingers in `order`: once those outnumber
            // the entries, keep each live key once.
            if pages.order.count > 2 * pages.entries.count + 64 {
                var kept = Set<Key>()
                let live = pages.entries
                pages.order = CircularBuffer(pages.order.filter { live[$0] != nil && kept.insert($0).inserted })
            }
        }
    }

    /// How many pages are held, their size in bytes, and how many keys wait in the eviction order.
    var usage: (pages: Int, bytes: Int, keysInOrder: Int) { pages.withLockedValue { ($0.entries.count, $0.bytes, $0.order.count) } }
}
