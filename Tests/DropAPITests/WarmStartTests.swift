import DropKit
import DropStore
import DropTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import DropAPI

/// A process that is starting reads ahead what the customers signed in lately ask for first (`WarmStart`, ADR 0028):
/// their first visit is then served from memory, under the numbers the database holds, and never asks a bank.
@Suite("Reading ahead before taking requests")
struct WarmStartTests {
    /// A second process starting on the same database, reading ahead for up to `customers`.
    static func starting(beside app: RouterApp, clock: TestClock, parties: TransfersRouterTests.Parties, customers: Int = 100) async throws -> AppServices {
        var config = app.services.config
        config.warmStartCustomers = customers
        return try await TestApp.services(database: app.services.database, clock: clock, providers: parties.providers, config: config)
    }

    static func syncedAt(_ userId: String, _ database: Database) async throws -> [Date] {
        try await database.withConnection { db in
            try await db.raw("SELECT balance_synced_at FROM bank_accounts WHERE user_id = \(bind: userId) ORDER BY id").all()
                .map { try $0.decode(column: "balance_synced_at", as: Date.self) }
        }
    }

    @Test func aCustomerSignedInLatelyIsServedFromMemoryOnTheirFirstVisit() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let kariId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
            let sent = try #require(try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "warm-1").id)
            let total = try await BalanceCacheTests.total(app.client, kari.auth)

            let other = try await Self.starting(beside: app, clock: clock, parties: parties)
            #expect(other.balances.isFirstVisit(userId: kariId) && other.transactions.isFirstVisit(newest: 3, userId: kariId))
            let outcome = await WarmStart(services: other, newestPayments: 3).run()
            #expect(outcome.customers == 1 && outcome.sessions >= 1 && outcome.accounts == 1 && outcome.newestPayments == 1)
            #expect(outcome.failed == 0 && outcome.finished)
            #expect(!other.balances.isFirstVisit(userId: kariId) && !other.transactions.isFirstVisit(newest: 3, userId: kariId))

            try await buildApplication(services: other).test(.router) { second in
                // Her first request for her balance is answered from what was read ahead.
                #expect(try await BalanceCacheTests.total(second, kari.auth) == total)
                let metrics = other.metrics.exposition()
                #expect(metrics.contains(#"drop_balance_reads_total{outcome="hit"} 1"#), "\(metrics)")
                #expect(metrics.contains(#"drop_balance_reads_total{outcome="miss"} 0"#), "\(metrics)")
                // A write committed after the read ahead moves the number: the next read shows it.
                #expect(try await app.send(.post, "/v1/transactions/\(sent)/cancel", nil, kari.auth).status == .ok)
                let number = try await other.database.withConnection { try await TransactionListVersion.current(userId: kariId, on: $0) }
                let newest = try await other.transactions.newest(3, userId: kariId, version: number)
                #expect(newest.items.map(\.status) == [.cancelled])
                // Signing out anywhere ends her session here at once.
                #expect(try await app.send(.post, "/v1/auth/logout-all", nil, kari.auth).status == .noContent)
                #expect(try await second.executeRequest(uri: "/v1/me", method: .get, headers: kari.auth, body: nil).status == .unauthorized)
            }
        }
    }

    /// A session read ahead serves its token's first use without the database: made unusable behind Drop's back (no
    /// change announced), the token still works here (`SessionCache.maxAge` is the backstop for such changes).
    /// On SQLite only: on PostgreSQL every session cache in the test process empties each time another test's
    /// LISTEN connection comes or goes (`SessionChanges.hub` is one per process; production has one database per
    /// process), dozens of times a second while the suite runs, so what is held can't be relied on from one statement
    /// to the next. The PostgreSQL side of reading ahead (sessions kept only once the listener hears) is checked by
    /// `aCustomerSignedInLatelyIsServedFromMemoryOnTheirFirstVisit`.
    @Test(.enabled(if: !TestDatabase.isPostgres, "PostgreSQL test processes empty every session cache many times a second"))
    func aSessionReadAheadServesItsTokensFirstUse() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await app.bearer(BankLinkRouterTests.kari)
            let kariId = try await app.get("/v1/me", kari).decode(DropKit.User.self).id
            let other = try await Self.starting(beside: app, clock: clock, parties: parties)
            let readAhead = ContinuousClock.now
            #expect(await WarmStart(services: other, newestPayments: 3).run().sessions >= 1)
            try await app.services.database.run("UPDATE sessions SET expires_at = \(bind: clock.date.addingTimeInterval(-1)) WHERE user_id = \(bind: kariId)")
            let status = try await buildApplication(services: other).test(.router) { second in
                try await second.executeRequest(uri: "/v1/me", method: .get, headers: kari, body: nil).status
            }
            // What is read ahead is kept for at least half of `SessionCache.maxAge` (15 s, real time): a suite run on a
            // loaded machine can take longer than that to get here, and then the database rightly has the last word.
            guard ContinuousClock.now - readAhead < .seconds(15) else { return }
            #expect(status == .ok)
        }
    }

    @Test func readingAheadNeverAsksABankAndLeavesOutWhoIsSignedOut() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let kariId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
            let synced = try await Self.syncedAt(kariId, app.services.database)

            // Her balances are old by now: showing them means asking her bank, which only her visit may do.
            clock.advance(BalanceService.freshFor + 1)
            let other = try await Self.starting(beside: app, clock: clock, parties: parties)
            let outcome = await WarmStart(services: other, newestPayments: 3).run()
            #expect(outcome.customers == 1 && outcome.accounts == 0 && outcome.newestPayments == 0)
            #expect(other.balances.isFirstVisit(userId: kariId))
            #expect(try await Self.syncedAt(kariId, app.services.database) == synced)

            // Turned off, nothing is read.
            let off = try await Self.starting(beside: app, clock: clock, parties: parties, customers: 0)
            #expect(await WarmStart(services: off, newestPayments: 3).run() == .init())

            // Signed out, she is not among the customers signed in lately.
            #expect(try await app.send(.post, "/v1/auth/logout", nil, kari.auth).status == .noContent)
            let after = try await Self.starting(beside: app, clock: clock, parties: parties)
            #expect(await WarmStart(services: after, newestPayments: 3).run() == .init(customers: 0))
        }
    }
}
