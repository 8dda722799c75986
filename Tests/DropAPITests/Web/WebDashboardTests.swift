import DropKit
import DropStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import DropAPI

/// `/dashboard` reads the customer, the header and two numbers in one statement (`CustomerOverview`)
/// and takes the balance and the newest payments from the answers the API keeps in memory: shown
/// exactly while those numbers stand, so a page is never older than the database.
@Suite("The dashboard from memory")
struct WebDashboardTests {
    /// The page in English for the customer signed in with `auth`, sent as the browser's cookie.
    static func dashboard(_ app: RouterApp, _ auth: HTTPFields, language: String = "en") async throws -> String {
        let token = try #require(auth[.authorization]?.split(separator: " ").last)
        let page = try await app.get("/dashboard", [.cookie: "drop_token=\(token)", .acceptLanguage: language])
        #expect(page.status == .ok)
        // Never stored by the browser: Back after signing out must not show it again.
        #expect(page.headers[.cacheControl] == "no-store")
        return String(buffer: page.body)
    }

    @Test func theBalanceAndNewestPaymentsComeFromMemoryOnlyWhileTheirNumbersStand() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon), pages: true) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let kariId = try await app.get("/v1/me", kari.auth).decode(DropKit.User.self).id
            let first = try await Self.dashboard(app, kari.auth)
            #expect(first.contains("Hi, Kari") && first.contains("NOK 13,000.00") && first.contains("No payments yet."))

            // A payment made through the API is on the very next page.
            _ = try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "dashboard-1")
            let sent = try await Self.dashboard(app, kari.auth)
            #expect(sent.contains("Waiting for approval") && !sent.contains("No payments yet."))
            // The page and the API share what is kept: the API's balance is a hit now.
            _ = try await BalanceCacheTests.balance(app.client, kari.auth)
            let metrics = app.services.metrics.exposition()
            #expect(metrics.contains(#"drop_balance_reads_total{outcome="hit"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"drop_transaction_list_reads_total{outcome="miss"} 2"#), "\(metrics)")

            // Behind the triggers' back the balance and the payment change and the numbers are put back:
            // the page shows what memory holds...
            let (balance, list) = try await app.services.database.withConnection { db in
                (try await BalanceVersion.current(userId: kariId, on: db), try await TransactionListVersion.current(userId: kariId, on: db))
            }
            try await app.services.database.run("UPDATE bank_accounts SET balance_minor = 1 WHERE user_id = \(bind: kariId)")
            try await app.services.database.run("UPDATE transactions SET status = 'cancelled' WHERE user_id = \(bind: kariId)")
            try await app.services.database.run("UPDATE balance_versions SET version = \(bind: balance) WHERE user_id = \(bind: kariId)")
            try await app.services.database.run("UPDATE transaction_list_versions SET version = \(bind: list) WHERE user_id = \(bind: kariId)")
            let held = try await Self.dashboard(app, kari.auth)
            #expect(held.contains("NOK 13,000.00") && held.contains("Waiting for approval") && !held.contains("Cancelled"))
            // ...and once each number moves, that part is read again, the other still from memory.
            try await app.services.database.run("UPDATE balance_versions SET version = \(bind: balance + 5) WHERE user_id = \(bind: kariId)")
            let newBalance = try await Self.dashboard(app, kari.auth)
            #expect(newBalance.contains("NOK 0.02") && newBalance.contains("Waiting for approval"))
            try await app.services.database.run("UPDATE transaction_list_versions SET version = \(bind: list + 5) WHERE user_id = \(bind: kariId)")
            let newList = try await Self.dashboard(app, kari.auth)
            #expect(newList.contains("NOK 0.02") && newList.contains("Cancelled") && !newList.contains("Waiting for approval"))
        }
    }

    /// The page keeps its newest payments without the JSON only the API sends; the API's first page of the same
    /// size is then a miss that reads them again with it, and from then on the page and the API share that entry.
    @Test func thePagesNewestPaymentsAreReadAgainWithTheirJSONForTheAPI() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon), pages: true) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            _ = try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "dashboard-json")
            #expect(try await Self.dashboard(app, kari.auth).contains("Waiting for approval"))
            // The rows are drawn once per language from the kept payments: the next page in bokmål has its own.
            let bokmål = try await Self.dashboard(app, kari.auth, language: "nb")
            #expect(bokmål.contains("Venter på godkjenning") && !bokmål.contains("Waiting for approval"))

            let api = try await app.get("/v1/transactions?limit=3", kari.auth)
            #expect(api.status == .ok)
            let body = String(buffer: api.body)
            #expect(body.contains(#""status":"pending_sca""#) && body.contains(#""items":["#), "\(body)")
            let again = try await app.get("/v1/transactions?limit=3", kari.auth)
            #expect(String(buffer: again.body) == body)
            #expect(try await Self.dashboard(app, kari.auth).contains("Waiting for approval"))

            let metrics = app.services.metrics.exposition()
            #expect(metrics.contains(#"drop_transaction_list_reads_total{outcome="miss"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"drop_transaction_list_reads_total{outcome="hit"} 3"#), "\(metrics)")
        }
    }
}
