@testable import DropAPI
import DropStore
import DropTestSupport
import Foundation
import HummingbirdTesting
import NIOConcurrencyHelpers
import SQLKit
import Testing

/// On PostgreSQL a process serves sessions from memory only while its listener proves it hears session changes:
/// it hears back the heartbeat it sends through the pool. A listener that LISTENs but hears nothing (behind a
/// transaction-mode pooler, or dropped silently by a NAT) stops counting within two heartbeats. Deafened here by a
/// relay that freezes what PostgreSQL sends to the listener alone (`DATABASE_LISTEN_URL`), as a dead connection is.
@Suite("Session change listener: live only while it hears its heartbeat", .enabled(if: TestDatabase.isPostgres, "LISTEN is PostgreSQL's"))
struct SessionListenerLivenessTests {
    static let heartbeat: Duration = .milliseconds(300)

    /// A second instance whose listener goes through a relay the body may freeze, with a short heartbeat.
    static func withDeafenableInstance(_ first: LiveServer,
                                       _ body: @escaping @Sendable (any TestClientProtocol, Database, TCPRelay) async throws -> Void) async throws {
        guard case .postgres(let raw) = first.services.database.url, var parts = URLComponents(string: raw),
              let host = parts.host, let port = parts.port else {
            Issue.record("no PostgreSQL host and port in the test database's URL")
            return
        }
        let relay = try await TCPRelay.start(to: host, port: port)
        parts.host = "127.0.0.1"
        parts.port = relay.port
        var options = Database.Options(connectionsPerEventLoop: 2)
        options.listenURL = parts.string.map { .postgres(url: $0) }
        options.sessionChangesHeartbeat = heartbeat
        do {
            try await SessionCacheTests.withSecondInstance(first, options: options) { client, database in
                // Stopped before the instance shuts down: a connection frozen mid-handshake would wait out its timeout.
                do { try await body(client, database, relay) } catch {
                    await relay.stop()
                    throw error
                }
                await relay.stop()
            }
        } catch {
            await relay.stop()
            throw error
        }
    }

    /// Waits (up to five seconds) until `database` no longer counts as hearing session changes; how long it took.
    static func untilDeaf(_ database: Database) async throws -> Duration {
        let start = ContinuousClock.now
        while database.hearsSessionChanges, ContinuousClock.now - start < .seconds(5) { try await Task.sleep(for: .milliseconds(5)) }
        return ContinuousClock.now - start
    }

    @Test func aDeafListenerStopsCountingAndItsCacheStopsServing() async throws {
        try await LiveServer.run { a in
            let kari = try await a.bearer("15039010043")
            let kariId = try await a.userId(kari)
            try await Self.withDeafenableInstance(a) { b, database, relay in
                // Past its going live (which empties every cache); twice: the second answer comes from B's cache.
                try await Task.sleep(for: Self.heartbeat)
                #expect(try await SessionCacheTests.status(b, "/v1/me", kari) == 200)
                #expect(try await SessionCacheTests.status(b, "/v1/me", kari) == 200)
                relay.freeze()
                let took = try await Self.untilDeaf(database)
                #expect(!database.hearsSessionChanges)
                #expect(took < Self.heartbeat * 2 + .seconds(1), "\(took)")
                // Revoked where B can't hear it, as a deaf B doesn't hear another instance's logout. (Not through
                // A: what A's listener hears empties B's cache too, through the hub the test process shares.)
                try await a.services.database.run("UPDATE sessions SET revoked_at = \(bind: a.clock.date) WHERE user_id = \(bind: kariId)")
                #expect(try await SessionCacheTests.status(b, "/v1/me", kari) == 401)
            }
        }
    }

    /// A logout waits until its own process has heard it (so every instance has), but not for a listener that
    /// can't hear it: that wait would be its whole two seconds, on every logout.
    @Test func aLogoutOnADeafInstanceDoesNotWaitForIt() async throws {
        try await LiveServer.run { a in
            let kari = try await a.bearer("15039010043")
            try await Self.withDeafenableInstance(a) { b, database, relay in
                relay.freeze()
                _ = try await Self.untilDeaf(database)
                let start = ContinuousClock.now
                let status = try await b.execute(uri: "/v1/auth/logout", method: .post, headers: [.authorization: kari.1]).status
                let took = ContinuousClock.now - start
                #expect(status == .noContent)
                // Waiting for it was two seconds at least; a loaded CI machine may take a while to answer either way.
                #expect(took < .milliseconds(1_900), "\(took)")
                #expect(try await a.get("/v1/me", headers: [kari]).status == 401)
            }
        }
    }

    /// Heartbeats keep the listener live and reach no cache as a user's change (a cache emptied for them would
    /// send every request to the database every few seconds).
    @Test func heartbeatsKeepItLiveAndEmptyNoCache() async throws {
        let published = NIOLockedValueBox<[String]>([])
        let owner = NSObject()
        SessionChanges.hub.subscribe(owner) { userId in
            if let userId { published.withLockedValue { $0.append(userId) } }
        }
        defer { SessionChanges.hub.unsubscribe(owner) }
        try await LiveServer.run { a in
            try await Self.withDeafenableInstance(a) { _, database, _ in
                // Past the first heartbeat's proof: only later ones keep it live.
                try await Task.sleep(for: Self.heartbeat * 5)
                let start = ContinuousClock.now
                while !database.hearsSessionChanges, ContinuousClock.now - start < .seconds(5) { try await Task.sleep(for: .milliseconds(5)) }
                #expect(database.hearsSessionChanges)
            }
        }
        // Users' changes of other tests may be among them, never a heartbeat.
        let heard = published.withLockedValue { $0 }
        #expect(!heard.contains { $0.hasPrefix("heartbeat") }, "\(heard.filter { $0.hasPrefix("heartbeat") }.count) heartbeats published")
    }
}
