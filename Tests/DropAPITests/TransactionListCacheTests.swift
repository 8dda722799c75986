import DropKit
import DropStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
@testable import DropAPI

/// The newest page of the transaction list comes from memory (`TransactionListCache`) exactly while
/// the customer's `TransactionListVersion` stands still: never a page older than the database, on
/// this instance or another, whoever wrote.
@Suite("The transaction list from memory")
struct TransactionListCacheTests {
    typealias List = DropKit.Page<DropKit.Transaction>

    static func list(_ client: some TestClientProtocol, _ auth: HTTPFields, _ query: String = "") async throws -> List {
        let response = try await client.executeRequest(uri: "/v1/transactions" + query, method: .get, headers: auth, body: nil)
        #expect(response.status == .ok)
        return try response.decode(List.self)
    }

    static func statuses(_ client: some TestClientProtocol, _ auth: HTTPFields) async throws -> [String] {
        try await list(client, auth).items.map(\.status.rawValue)
    }

    @Test func theNewestPageComesFromMemoryOnlyWhileItsNumberStandsStill() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let kariId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
            let id = try #require(try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "cache-1").id)
            #expect(try await Self.list(app.client, kari.auth).items.map(\.message) == [nil])
            #expect(app.services.transactionListCache?.usage.answers == 1)
            #expect(try await Self.list(app.client, kari.auth).items.map(\.message) == [nil])
            // Operators see it: one read from the database, one from memory.
            let metrics = app.services.metrics.exposition()
            #expect(metrics.contains(#"drop_transaction_list_reads_total{outcome="miss"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"drop_transaction_list_reads_total{outcome="hit"} 1"#))
            let number = try await app.services.database.withConnection { try await TransactionListVersion.current(userId: kariId, on: $0) }

            // Behind the triggers' back, the row changes and the number is put back: the page served is the one in memory...
            try await app.services.database.run("UPDATE transactions SET message = 'changed' WHERE id = \(bind: id)")
            try await app.services.database.run("UPDATE transaction_list_versions SET version = \(bind: number) WHERE user_id = \(bind: kariId)")
            #expect(try await Self.list(app.client, kari.auth).items.map(\.message) == [nil])
            // ...a filtered page or another size is never taken from it...
            #expect(try await Self.list(app.client, kari.auth, "?status=pending_sca").items.map(\.message) == ["changed"])
            #expect(try await Self.list(app.client, kari.auth, "?limit=5").items.map(\.message) == ["changed"])
            // ...and once the number moves, the page is read again.
            try await app.services.database.run("UPDATE transaction_list_versions SET version = \(bind: number + 5) WHERE user_id = \(bind: kariId)")
            #expect(try await Self.list(app.client, kari.auth).items.map(\.message) == ["changed"])
        }
    }

    /// Each write a customer or their bank makes shows on the very next read of a page held in memory.
    @Test func everyChangeShowsOnTheNextRead() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            #expect(try await Self.statuses(app.client, kari.auth) == [])

            let first = try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "cache-1")
            #expect(try await Self.statuses(app.client, kari.auth) == ["pending_sca"])
            // Approved at her bank: the bank's answer moves it on.
            let paymentId = String(try #require(first.sca?.split(separator: "/").last))
            let back = try #require(try await parties.bank.approvePayment(paymentId, as: BankLinkRouterTests.kari))
            _ = try await app.get(RouterApp.pathAndQuery(back))
            #expect(try await Self.statuses(app.client, kari.auth) == ["processing"])

            let second = try await TransfersRouterTests.send(app, kari, amountMinor: 20_000, key: "cache-2")
            // The clock stands still, so both have one time and their order is by id: compare as sets.
            #expect(Set(try await Self.statuses(app.client, kari.auth)) == ["pending_sca", "processing"])
            clock.advance(60)  // past the minute's limit on money writes
            let cancel = try await app.send(.post, "/v1/transactions/\(try #require(second.id))/cancel", nil, kari.auth)
            #expect(cancel.status == .ok, "\(cancel.text)")
            #expect(Set(try await Self.statuses(app.client, kari.auth)) == ["cancelled", "processing"])
        }
    }

    /// Two instances on one database: what one writes, the other's held page shows at once.
    @Test func aWriteOnAnotherInstanceShowsAtOnce() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let sent = try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "cache-1")
            #expect(try await Self.statuses(app.client, kari.auth) == ["pending_sca"])

            let other = try await TestApp.services(database: app.services.database, clock: clock, providers: parties.providers,
                                                    config: app.services.config)
            try await buildApplication(services: other).test(.router) { second in
                #expect(try await Self.statuses(second, kari.auth) == ["pending_sca"])
                let cancelled = try await second.executeRequest(uri: "/v1/transactions/\(try #require(sent.id))/cancel", method: .post,
                                                                headers: kari.auth, body: nil)
                #expect(cancelled.status == .ok)
                #expect(try await Self.statuses(second, kari.auth) == ["cancelled"])
            }
            #expect(try await Self.statuses(app.client, kari.auth) == ["cancelled"])
        }
    }
}
