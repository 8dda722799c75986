import DropKit
import DropProviderFakes
import DropStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import DropAPI

/// `GET /v1/balance` comes from memory (`AnswerCache`) exactly while the customer's `BalanceVersion`
/// stands still and every balance in it is younger than five minutes: never an answer older than
/// the database, on this instance or another, and the bank is asked again on time.
@Suite("The balance from memory")
struct BalanceCacheTests {
    static func balance(_ client: some TestClientProtocol, _ auth: HTTPFields) async throws -> DropKit.Balance {
        let response = try await client.executeRequest(uri: "/v1/balance", method: .get, headers: auth, body: nil)
        #expect(response.status == .ok)
        return try response.decode(DropKit.Balance.self)
    }

    static func total(_ client: some TestClientProtocol, _ auth: HTTPFields) async throws -> Int64? {
        try await balance(client, auth).total?.amountMinor
    }

    /// Kari signed in with DNB linked: 12 500,00 and 500,00 NOK (`BankLinkRouterTests.bank()`).
    static func kariLinked(_ app: RouterApp, _ bank: InMemoryBank) async throws -> HTTPFields {
        let kari = try await app.bearer(BankLinkRouterTests.kari)
        let (connection, consent) = try await BankLinkRouterTests.connect(app, kari)
        try await bank.approveConsent(consent, as: BankLinkRouterTests.kari)
        _ = try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")
        return kari
    }

    @Test func theBalanceComesFromMemoryOnlyWhileItsNumberStandsAndItIsFresh() async throws {
        let bank = await BankLinkRouterTests.bank()
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: .init(openBanking: bank), clock: clock) { app in
            let kari = try await Self.kariLinked(app, bank)
            let kariId = try await app.get("/v1/me", kari).decode(DropKit.User.self).id
            #expect(try await Self.total(app.client, kari) == 1_300_000)
            #expect(try await Self.total(app.client, kari) == 1_300_000)
            // Operators see it: one read from the database, one from memory.
            let metrics = app.services.metrics.exposition()
            #expect(metrics.contains(#"drop_balance_reads_total{outcome="miss"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"drop_balance_reads_total{outcome="hit"} 1"#))
            let number = try await app.services.database.withConnection { try await BalanceVersion.current(userId: kariId, on: $0) }

            // Behind the triggers' back the balances change and the number is put back: the answer served is the one in memory.
            try await app.services.database.run("UPDATE bank_accounts SET balance_minor = 1 WHERE user_id = \(bind: kariId)")
            try await app.services.database.run("UPDATE balance_versions SET version = \(bind: number) WHERE user_id = \(bind: kariId)")
            #expect(try await Self.total(app.client, kari) == 1_300_000)
            // Once the number moves, the accounts are read again.
            try await app.services.database.run("UPDATE balance_versions SET version = \(bind: number + 5) WHERE user_id = \(bind: kariId)")
            #expect(try await Self.total(app.client, kari) == 2)

            // Five minutes on, the bank is asked again, number or not: 100,00 came in meanwhile.
            await bank.deposit(10_000, toAccountNumber: BankLinkRouterTests.dnbAccount(0).digits)
            clock.advance(BalanceService.freshFor)
            #expect(try await Self.total(app.client, kari) == 2)
            clock.advance(1)
            // Asked of the bank, then read once more (the bank's answer moved the number), then held.
            for _ in 0..<3 { #expect(try await Self.total(app.client, kari) == 1_310_000) }
            let reads = app.services.metrics.exposition()
            #expect(reads.contains(#"drop_balance_reads_total{outcome="hit"} 4"#) && reads.contains(#"drop_balance_reads_total{outcome="miss"} 4"#), "\(reads)")
        }
    }

    /// Each change to her accounts shows on the very next read of an answer held in memory.
    @Test func everyChangeShowsOnTheNextRead() async throws {
        let bank = await BankLinkRouterTests.bank()
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: .init(openBanking: bank), clock: clock) { app in
            let kari = try await Self.kariLinked(app, bank)
            let held = try await Self.balance(app.client, kari)
            #expect(held.total?.amountMinor == 1_300_000 && held.accounts.count == 2)

            // She asks for one account to be read again now.
            await bank.deposit(10_000, toAccountNumber: BankLinkRouterTests.dnbAccount(1).digits)
            let second = try #require(held.accounts.first { $0.bban == BankLinkRouterTests.dnbAccount(1).digits })
            #expect(try await app.post("/v1/bank-accounts/\(second.id)/refresh", "", kari).status == .ok)
            #expect(try await Self.total(app.client, kari) == 1_310_000)

            // She removes it.
            #expect(try await app.send(.delete, "/v1/bank-accounts/\(second.id)", nil, kari).status == .noContent)
            let after = try await Self.balance(app.client, kari)
            #expect(after.total?.amountMinor == 1_250_000 && after.accounts.count == 1)

            // The bank is down when her balance is old: the last one, flagged stale, and not kept —
            // once the bank is back, the next read asks it.
            await bank.takeDown("dnb")
            clock.advance(BalanceService.freshFor + 1)
            let stale = try await Self.balance(app.client, kari)
            #expect(stale.stale && stale.total?.amountMinor == 1_250_000)
            #expect(try await Self.balance(app.client, kari).stale)
            await bank.bringUp("dnb")
            clock.advance(60)  // past the breaker's pause
            #expect(try await Self.balance(app.client, kari).stale == false)
        }
    }

    /// Two instances on one database: what one writes, the other's held answer shows at once.
    @Test func aWriteOnAnotherInstanceShowsAtOnce() async throws {
        let bank = await BankLinkRouterTests.bank()
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: .init(openBanking: bank), clock: clock) { app in
            let kari = try await Self.kariLinked(app, bank)
            let accounts = try await Self.balance(app.client, kari).accounts
            let other = try await TestApp.services(database: app.services.database, clock: clock, providers: .init(openBanking: bank),
                                                    config: app.services.config)
            try await buildApplication(services: other).test(.router) { second in
                #expect(try await Self.total(second, kari) == 1_300_000)
                #expect(try await Self.total(second, kari) == 1_300_000)
                await bank.deposit(10_000, toAccountNumber: BankLinkRouterTests.dnbAccount(0).digits)
                let first = try #require(accounts.first { $0.bban == BankLinkRouterTests.dnbAccount(0).digits })
                #expect(try await app.post("/v1/bank-accounts/\(first.id)/refresh", "", kari).status == .ok)
                #expect(try await Self.total(second, kari) == 1_310_000)
            }
        }
    }
}
