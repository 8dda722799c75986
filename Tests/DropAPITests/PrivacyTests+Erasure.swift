import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

extension PrivacyTests {
    /// Two copies of Kari's data outside the tables erasure rewrites: the newest page of her transaction list
    /// kept in the database (ADR 0023), and a job's payload (the address she replaced, which a change notice
    /// was to go to, kept with the job when it failed). Neither outlives her erasure.
    @Test func erasureLeavesNoKeptTransactionPageAndNoJobNamingKari() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, _, _) = try await Self.kariWithHistory(server)
            let userId = try await server.userId(kari.auth)
            #expect(try await server.get("/v1/transactions", headers: [kari.auth]).status == 200)
            await server.services.newestPageKeeper?.idle()
            let keptPage: SQLQueryString = "SELECT COUNT(*) AS n FROM transaction_list_versions WHERE user_id = \(bind: userId) AND newest_page IS NOT NULL"
            #expect(try await Self.count(server, keptPage) == 1)

            // A confirmed address she replaced: the notice to it failed for good and is kept to look into.
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET email = 'kari.gammel@example.no', email_verified_at = \(bind: server.clock.date) WHERE id = \(bind: userId)").run()
            }
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari.ny@example.no"}"#, auth: kari.auth).status == 200)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE jobs SET status = 'failed' WHERE kind = \(bind: EmailChangeNotice.jobKind)").run()
            }
            let naming: SQLQueryString = "SELECT COUNT(*) AS n FROM jobs WHERE payload LIKE '%kari.gammel@%' OR payload LIKE \(bind: "%\(userId)%")"
            #expect(try await Self.count(server, naming) >= 2)

            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth]).status == 202)
            #expect(try await Self.count(server, keptPage) == 0)
            #expect(try await Self.count(server, naming) == 0)
        }
    }

    /// A job that ran out of attempts is kept to look into, not for ever: its payload may name a customer.
    @Test func aFailedJobIsPurgedAfterThirtyDays() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let now = server.clock.date
            try await server.services.database.withConnection { db in
                try await JobQueue.enqueue(kind: EmailChangeNotice.jobKind, payload: #"{"userId":"someone","previousAddress":"old@example.no"}"#,
                                           runAt: now, now: now, on: db)
                try await db.raw("UPDATE jobs SET status = 'failed' WHERE kind = \(bind: EmailChangeNotice.jobKind)").run()
            }
            let failed: SQLQueryString = "SELECT COUNT(*) AS n FROM jobs WHERE status = 'failed' AND kind = \(bind: EmailChangeNotice.jobKind)"
            let worker = JobWorker(services: server.services)
            server.clock.advance(MaintenanceFeature.failedJobKept - 3600)
            while try await worker.runOnce() {}
            #expect(try await Self.count(server, failed) == 1)
            server.clock.advance(2 * 3600)
            while try await worker.runOnce() {}
            #expect(try await Self.count(server, failed) == 0)
        }
    }
}
