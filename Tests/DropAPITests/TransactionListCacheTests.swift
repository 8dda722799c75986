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

    static func reads(_ app: RouterApp) -> String {
        let metrics = app.services.metrics.exposition()
        return ["hit", "kept", "miss"].map { outcome in
            metrics.split(separator: "\n").first { $0.hasPrefix("drop_transaction_list_reads_total{outcome=\"\(outcome)\"}") }?
                .split(separator: " ").last.map(String.init) ?? "0"
        }.joined(separator: " ")
    }

    /// Another process on `app`'s database, with nothing in memory: a restart, or another instance.
    static func anotherProcess(of app: RouterApp, _ parties: TransfersRouterTests.Parties, _ clock: TestClock,
                               _ body: @escaping @Sendable (RouterApp) async throws -> Void) async throws {
        let services = try await TestApp.services(database: app.services.database, clock: clock, providers: parties.providers, config: app.services.config)
        try await buildApplication(services: services).test(.router) { client in
            try await body(RouterApp(client: client, services: services, bankID: app.bankID))
        }
    }

    /// A process that holds nothing of a customer (just restarted, or another instance) sends the newest page the
    /// database kept beside their number, byte for byte, without reading its rows (ADR 0023); the next write moves
    /// the number, and every process reads the page again from its rows.
    @Test func aRestartedProcessSendsThePageTheDatabaseKept() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let kariId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
            let sent = try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "kept-1")
            let first = try await app.get("/v1/transactions", kari.auth)
            #expect(first.status == .ok && Self.reads(app) == "0 0 1")
            // A smaller page is not what the database keeps.
            _ = try await app.get("/v1/transactions?limit=5", kari.auth)
            await app.services.newestPageKeeper?.idle()
            let kept = try await KeptNewestPage.read(userId: kariId, format: TransactionService.keptPageFormat, in: app.services.database)
            #expect(kept.json == first.text)

            try await Self.anotherProcess(of: app, parties, clock) { restarted in
                let again = try await restarted.get("/v1/transactions", kari.auth)
                #expect(again.body == first.body && Self.reads(restarted) == "0 1 0")
                let held = try await restarted.get("/v1/transactions", kari.auth)
                #expect(held.body == first.body && Self.reads(restarted) == "1 1 0")

                // Kari cancels on the restarted process: both processes read the page from its rows again, and keep it.
                let cancelled = try await restarted.send(.post, "/v1/transactions/\(try #require(sent.id))/cancel", nil, kari.auth)
                #expect(cancelled.status == .ok)
                let afterCancel = try await Self.statuses(restarted.client, kari.auth)
                #expect(afterCancel == ["cancelled"] && Self.reads(restarted) == "1 1 1")
                #expect(try await Self.statuses(app.client, kari.auth) == ["cancelled"])
                await restarted.services.newestPageKeeper?.idle()
                await app.services.newestPageKeeper?.idle()
                let newer = try await KeptNewestPage.read(userId: kariId, format: TransactionService.keptPageFormat, in: app.services.database)
                #expect(newer.version > kept.version && newer.json?.contains("cancelled") == true)

                // A page kept in another build's format is read from its rows, and kept again in this one's.
                try await app.services.database.run("UPDATE transaction_list_versions SET newest_page_format = '0/20' WHERE user_id = \(bind: kariId)")
                try await Self.anotherProcess(of: app, parties, clock) { another in
                    let statuses = try await Self.statuses(another.client, kari.auth)
                    #expect(statuses == ["cancelled"] && Self.reads(another) == "0 0 1")
                    await another.services.newestPageKeeper?.idle()
                }
                #expect(try await KeptNewestPage.read(userId: kariId, format: TransactionService.keptPageFormat, in: app.services.database).json != nil)
            }
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
