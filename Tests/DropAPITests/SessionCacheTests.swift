@testable import DropAPI
import DropStore
import DropWeb
import Foundation
import HummingbirdTesting
import SQLKit
import Testing

/// Sessions are served from a per-process cache; every way a session ends or a role changes must
/// still stop the very next request, also on another instance (its own pool, cache and LISTEN
/// connection on the same database).
@Suite("Session cache: revocation reaches every instance at once")
struct SessionCacheTests {
    /// A second Drop instance on the same data, answering through its own router.
    static func withSecondInstance(_ first: LiveServer, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withSecondInstance(first, options: .init(connectionsPerEventLoop: 2)) { client, _ in try await body(client) }
    }

    /// The same, with its own database options (its listener's), and its database handed to `body`.
    static func withSecondInstance(_ first: LiveServer, options: Database.Options,
                                   _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        let url: DatabaseURL = first.services.database.url
        var options = options
        options.postgresSchema = first.services.database.dialect == .postgres
            ? try await first.services.database.withConnection { try await $0.raw("SELECT current_schema() AS s").first()?.decode(column: "s", as: String.self) }
            : nil
        let database = try await Database.connect(url, options: options)
        do {
            // Same secrets, so the same tokens; everything else of its own.
            let services = try await TestApp.services(database: database, clock: first.clock, config: first.services.config)
            // On PostgreSQL the instance serves from its cache only once its LISTEN is up: wait for that.
            for _ in 0..<500 where !(database.hearsSessionChanges && first.services.database.hearsSessionChanges) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(database.hearsSessionChanges && first.services.database.hearsSessionChanges)
            let app = buildApplication(services: services, extraFeatures: [WebFeature()], runWorker: false)
            try await app.test(.router) { client in try await body(client, database) }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    static func status(_ client: any TestClientProtocol, _ path: String, _ auth: (String, String)) async throws -> Int {
        try await client.execute(uri: path, method: .get, headers: [.authorization: auth.1]).status.code
    }

    @Test func logoutOnOneInstanceRefusesTheNextRequestOnAnother() async throws {
        try await LiveServer.run { a in
            let kari = try await a.bearer("15039010043")
            try await Self.withSecondInstance(a) { (b: any TestClientProtocol) async throws in
                // Twice: the second answer comes from B's cache.
                #expect(try await Self.status(b, "/v1/me", kari) == 200)
                #expect(try await Self.status(b, "/v1/me", kari) == 200)
                #expect(try await a.request(.POST, "/v1/auth/logout", headers: [kari]).status == 204)
                #expect(try await Self.status(b, "/v1/me", kari) == 401)
                #expect(try await a.get("/v1/me", headers: [kari]).status == 401)
            }
        }
    }

    @Test func signingOutEverywhereAndErasureReachTheOtherInstance() async throws {
        try await LiveServer.run { a in
            let phone = try await a.bearer("15039010043")
            let laptop = try await a.bearer("15039010043")
            let userId = try await a.userId(phone)
            try await Self.withSecondInstance(a) { (b: any TestClientProtocol) async throws in
                #expect(try await Self.status(b, "/v1/me", phone) == 200)
                #expect(try await Self.status(b, "/v1/me", laptop) == 200)
                try await a.services.sessions.endAll(userId: userId, requestID: "test")
                #expect(try await Self.status(b, "/v1/me", phone) == 401)
                #expect(try await Self.status(b, "/v1/me", laptop) == 401)

                let again = try await a.bearer("15039010043")
                #expect(try await Self.status(b, "/v1/me", again) == 200)
                #expect(try await a.request(.POST, "/v1/gdpr/erasure", headers: [again]).status == 202)
                #expect(try await Self.status(b, "/v1/me", again) == 401)
            }
        }
    }

    @Test func aRoleTakenAwayOnOneInstanceIsGoneOnTheOther() async throws {
        try await LiveServer.run { a in
            let kari = try await a.bearer("15039010043")
            let roles = a.services.adminRoles
            try await roles.setAdmin(nationalId: "15039010043", granted: true, operatorName: "ops")
            try await Self.withSecondInstance(a) { (b: any TestClientProtocol) async throws in
                #expect(try await Self.status(b, "/v1/admin/audit-log", kari) == 200)
                #expect(try await Self.status(b, "/v1/admin/audit-log", kari) == 200)
                try await roles.setAdmin(nationalId: "15039010043", granted: false, operatorName: "ops")
                #expect(try await Self.status(b, "/v1/admin/audit-log", kari) == 403)
            }
        }
    }

    @Test func aLookupThatRacedARevocationDoesNotCacheTheOldAnswer() async throws {
        let cache = SessionCache()
        let user = UUID().uuidString
        let entry = SessionCache.Entry(userId: user, sessionId: "s1", role: .user, authenticatedAt: Date(), expiresAt: .distantFuture, storedAt: .now)
        let generation = cache.currentGeneration
        SessionChanges.hub.publish(user)  // the revocation lands while the lookup is at the database
        cache.store(entry, for: "t1", ifGeneration: generation)
        #expect(cache.entry(for: "t1", now: Date()) == nil)

        // Other tests' changes (in this process) may also bump the generation: try until one store lands.
        var stored = false
        for _ in 0..<50 where !stored {
            cache.store(entry, for: "t1", ifGeneration: cache.currentGeneration)
            stored = cache.entry(for: "t1", now: Date()) != nil
        }
        #expect(stored)
        SessionChanges.hub.publish(user)
        #expect(cache.entry(for: "t1", now: Date()) == nil)
        // An expired session is not served, whatever the cache holds.
        cache.store(.init(userId: user, sessionId: "s2", role: .user, authenticatedAt: Date(), expiresAt: Date(timeIntervalSinceNow: -1), storedAt: .now),
                    for: "t2", ifGeneration: cache.currentGeneration)
        #expect(cache.entry(for: "t2", now: Date()) == nil)
    }

    /// An entry found expired is dropped with its token: nothing of it stays behind under its user.
    @Test func anExpiredEntryLeavesNothingBehind() {
        let cache = SessionCache(maxAge: .seconds(30), keptShare: { 1 })
        let user = UUID().uuidString
        // Kept past its time (stored 31 s ago), and past its session's expiry.
        let stale = SessionCache.Entry(userId: user, sessionId: "s1", role: .user, authenticatedAt: Date(), expiresAt: .distantFuture,
                                       storedAt: .now - .seconds(31))
        let expired = SessionCache.Entry(userId: user, sessionId: "s2", role: .user, authenticatedAt: Date(),
                                         expiresAt: Date(timeIntervalSinceNow: -1), storedAt: .now)
        // Other tests' session changes bump the generation and may turn a store away: store until both land.
        while cache.tokenCount(of: user) < 2 {
            cache.store(stale, for: "t1", ifGeneration: cache.currentGeneration)
            cache.store(expired, for: "t2", ifGeneration: cache.currentGeneration)
        }
        #expect(cache.entry(for: "t1", now: Date()) == nil)
        #expect(cache.entry(for: "t2", now: Date()) == nil)
        #expect(cache.tokenCount(of: user) == 0)
    }

    /// Each entry is kept for its own share of `maxAge`, between half and all of it, so entries
    /// stored in the same second (a crowd after a restart) don't all send their customers back to
    /// the database in the same second later.
    @Test func entriesStoredTogetherDoNotAllExpireTogether() {
        let entry = { (storedAt: ContinuousClock.Instant) in
            SessionCache.Entry(userId: "u-share", sessionId: "s", role: .user, authenticatedAt: Date(), expiresAt: .distantFuture, storedAt: storedAt)
        }
        // A hub of its own: every other test's sign-outs (and, on PostgreSQL, listeners going live) would
        // otherwise empty these caches while they are filled or read, and a loaded run never read a whole one.
        let changes = SessionChanges.Hub()
        func store(_ entry: SessionCache.Entry, as token: String, in cache: SessionCache) {
            cache.store(entry, for: token, ifGeneration: cache.currentGeneration)
        }
        let twentySecondsAgo = ContinuousClock.now - .seconds(20)
        // Stored 20 s ago: kept for half of 30 s it is gone, kept for all of it it is still served.
        let half = SessionCache(maxAge: .seconds(30), keptShare: { 0.5 }, changes: changes)
        store(entry(twentySecondsAgo), as: "t", in: half)
        #expect(half.entry(for: "t", now: Date()) == nil)
        let whole = SessionCache(maxAge: .seconds(30), keptShare: { 1 }, changes: changes)
        store(entry(twentySecondsAgo), as: "t", in: whole)
        #expect(whole.entry(for: "t", now: Date()) != nil)

        // The default spreads the shares over [0.5, 1]: 1,000 entries stored 22.5 s ago, about half still served.
        // Storing them can take a while on a loaded machine, so the share expected is the one for their age
        // when they are read: kept while share × 30 s > age.
        func stillServed(_ age: Duration) -> Double { min(max(2 - age / .seconds(15), 0), 1) * 1_000 }
        let spread = SessionCache(maxAge: .seconds(30), changes: changes)
        let storedAt = ContinuousClock.now - .milliseconds(22_500)
        for token in 0..<1_000 { store(entry(storedAt), as: "t\(token)", in: spread) }
        let before = ContinuousClock.now - storedAt
        let served = (0..<1_000).filter { spread.entry(for: "t\($0)", now: Date()) != nil }.count
        let after = ContinuousClock.now - storedAt
        #expect((stillServed(after) - 200)...(stillServed(before) + 200) ~= Double(served), "\(served) served at \(before)–\(after)")
    }
}
