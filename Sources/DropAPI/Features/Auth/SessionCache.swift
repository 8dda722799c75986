import DropStore
import Foundation

/// The sessions this process has checked recently, keyed by the token itself (a hit skips both the
/// JWT signature check and the session query).
///
/// Revocation stays immediate: every change to a user's sessions or role goes through
/// `SessionChanges`, which empties that user's entries in every process (PostgreSQL LISTEN/NOTIFY,
/// in-process on SQLite). Entries are only served while `Database.hearsSessionChanges`; a
/// generation counter keeps a lookup that raced a change from storing what it read before it.
/// `maxAge` is a backstop for changes made behind Drop's back (a hand-written SQL update); each
/// entry is kept for its own share of it (`KeptShare`).
final class SessionCache: @unchecked Sendable {
    struct Entry: Sendable {
        let userId: String
        let sessionId: String
        let role: Identity.Role
        let authenticatedAt: Date
        /// The earlier of the session's and the token's expiry.
        let expiresAt: Date
        let storedAt: ContinuousClock.Instant
    }

    private let lock = NSLock()

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// An entry and the moment it stops being served, whatever changes.
    private struct Held {
        let entry: Entry
        let until: ContinuousClock.Instant
    }

    private var entries: [String: Held] = [:]
    private var tokensByUser: [String: Set<String>] = [:]
    /// Sessions read before their token was seen (`WarmStart`), by session id, until their token's first use.
    private var ahead: [String: Held] = [:]
    private var aheadByUser: [String: Set<String>] = [:]
    private var generation: UInt64 = 0
    let maxAge: Duration
    let capacity: Int
    /// The share of `maxAge` an entry is kept for (tests fix it).
    let keptShare: @Sendable () -> Double

    /// The session changes this cache forgets on: the process's, or a test's own.
    private let changes: SessionChanges.Hub

    init(maxAge: Duration = .seconds(30), capacity: Int = 50_000, keptShare: @escaping @Sendable () -> Double = KeptShare.random,
         changes: SessionChanges.Hub = SessionChanges.hub) {
        self.maxAge = maxAge
        self.capacity = capacity
        self.keptShare = keptShare
        self.changes = changes
        changes.subscribe(self) { [weak self] userId in
            guard let self else { return }
            if let userId { self.forget(userId: userId) } else { self.forgetAll() }
        }
    }

    deinit { changes.unsubscribe(self) }

    func entry(for token: String, now: Date) -> Entry? {
        locked {
            guard let held = entries[token] else { return nil }
            guard held.entry.expiresAt > now, ContinuousClock.now < held.until else {
                entries[token] = nil
                // And its token from its user's, or every expired token stays there until the user changes.
                let user = held.entry.userId
                tokensByUser[user]?.remove(token)
                if tokensByUser[user]?.isEmpty == true { tokensByUser[user] = nil }
                return nil
            }
            return held.entry
        }
    }

    /// How many tokens are held for `userId` (tests: nothing is left behind).
    func tokenCount(of userId: String) -> Int { locked { tokensByUser[userId]?.count ?? 0 } }

    /// Read before asking the database; `store` keeps the answer only if nothing changed meanwhile.
    var currentGeneration: UInt64 { locked { generation } }

    func store(_ entry: Entry, for token: String, ifGeneration seen: UInt64) {
        locked {
            guard generation == seen else { return }
            keep(held(entry), for: token)
        }
    }

    /// `entry` kept for its own share of `maxAge` from when it was read.
    private func held(_ entry: Entry) -> Held {
        Held(entry: entry, until: KeptShare.until(storedAt: entry.storedAt, maxAge: maxAge, share: keptShare))
    }

    /// Under the lock: `held` served for `token` from now on (a full cache starts again empty).
    private func keep(_ held: Held, for token: String) {
        if entries.count >= capacity {
            entries.removeAll(keepingCapacity: true)
            tokensByUser.removeAll(keepingCapacity: true)
        }
        entries[token] = held
        tokensByUser[held.entry.userId, default: []].insert(token)
    }

    /// Keeps a session read ahead of its first request (`WarmStart`), unless anything changed since `seen`.
    func storeAhead(_ entry: Entry, ifGeneration seen: UInt64) {
        locked {
            guard generation == seen, ahead.count < capacity else { return }
            ahead[entry.sessionId] = held(entry)
            aheadByUser[entry.userId, default: []].insert(entry.sessionId)
        }
    }

    /// The session read ahead for a token whose signature was checked, now kept under that token; nil when none was
    /// (or it was someone else's, has expired or was kept too long). `seen`: the generation read before the token's lookup.
    func takeAhead(sessionId: String, userId: String, token: String, tokenExpiresAt: Date, now: Date, ifGeneration seen: UInt64) -> Entry? {
        locked {
            guard let held = ahead.removeValue(forKey: sessionId) else { return nil }
            aheadByUser[held.entry.userId]?.remove(sessionId)
            guard held.entry.userId == userId, held.entry.expiresAt > now, ContinuousClock.now < held.until else { return nil }
            let entry = Entry(userId: userId, sessionId: sessionId, role: held.entry.role, authenticatedAt: held.entry.authenticatedAt,
                              expiresAt: min(held.entry.expiresAt, tokenExpiresAt), storedAt: held.entry.storedAt)
            if generation == seen { keep(Held(entry: entry, until: held.until), for: token) }
            return entry
        }
    }

    func forget(userId: String) {
        locked {
            generation &+= 1
            for token in tokensByUser.removeValue(forKey: userId) ?? [] { entries[token] = nil }
            for session in aheadByUser.removeValue(forKey: userId) ?? [] { ahead[session] = nil }
        }
    }

    func forgetAll() {
        locked {
            generation &+= 1
            entries.removeAll()
            tokensByUser.removeAll()
            ahead.removeAll()
            aheadByUser.removeAll()
        }
    }
}
