import DropCore
@testable import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// What the dashboard reads in one statement: the customer, the header's count and business flag,
/// and the two numbers the kept answers stand under, each only the customer's own.
@Suite("Customer overview")
struct CustomerOverviewTests {
    /// The overview on a connection, and as a page reads it (`Database.batched`): the same.
    static func overview(_ userId: String, _ database: Database) async throws -> CustomerOverview? {
        let read = try await database.withConnection { try await CustomerOverview.read(userId: userId, on: $0) }
        let batched = try await CustomerOverview.read(userId: userId, in: database)
        #expect(batched?.user == read?.user && batched?.unread == read?.unread && batched?.hasBusiness == read?.hasBusiness
                && batched?.balanceVersion == read?.balanceVersion && batched?.transactionListVersion == read?.transactionListVersion)
        return read
    }

    @Test func oneStatementReadsTheCustomerTheHeaderAndTheirNumbers() async throws {
        try await TestDatabase.with { database in
            // Kari (u1) and Ola (u2) have linked DNB; Per (u3) nothing.
            try await BalanceVersionTests.seed(database)
            let fresh = try #require(try await Self.overview("u1", database))
            #expect(fresh.user.id == "u1" && fresh.unread == 0 && !fresh.hasBusiness)
            #expect(fresh.balanceVersion == 0 && fresh.transactionListVersion == 0)

            try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
            try await BalanceVersionTests.insertAccount("a2", user: "u2", consent: "c2", database)
            try await database.run("INSERT INTO transaction_list_versions (user_id, version) VALUES ('u1', 41), ('u2', 7)")
            let now = BalanceVersionTests.now
            try await database.withConnection { db in
                for (user, readAt) in [("u1", nil), ("u1", nil), ("u1", now), ("u2", nil)] as [(String, Date?)] {
                    try await NotificationRepository.insert(NotificationRecord(
                        userId: user, kind: .bankReconnect, title: "Reconnect DNB", body: "…", createdAt: now, readAt: readAt), on: db)
                }
            }
            try await database.run("""
                INSERT INTO merchants (id, user_id, code, organisation_number, name, mcc, city, settlement_account, created_at, updated_at)
                VALUES ('m1', 'u1', 'KAFE', '923609016', 'Kafe Kari', '5812', 'Oslo', '12345678903', \(bind: now), \(bind: now))
                """)

            let kari = try #require(try await Self.overview("u1", database))
            let kariBalance = try await database.withConnection { try await BalanceVersion.current(userId: "u1", on: $0) }
            #expect(kari.unread == 2 && kari.hasBusiness)
            #expect(kari.balanceVersion == kariBalance && kari.balanceVersion > 0 && kari.transactionListVersion == 41)
            let ola = try #require(try await Self.overview("u2", database))
            #expect(ola.unread == 1 && !ola.hasBusiness && ola.transactionListVersion == 7)
            let per = try #require(try await Self.overview("u3", database))
            #expect(per.unread == 0 && per.balanceVersion == 0 && per.transactionListVersion == 0)

            // Read together, as pages asking at once are: each customer gets only their own counts and numbers.
            let together = try await database.withConnection { db in
                try CustomerOverview.Statement.values(from: try await db.rows(CustomerOverview.Statement(keys: ["u1", "u2", "u3", "nobody"])))
            }
            #expect(together.keys.sorted() == ["u1", "u2", "u3"])
            for (alone, id) in [(kari, "u1"), (ola, "u2"), (per, "u3")] {
                let read = try #require(together[id])
                #expect(read.user == alone.user && read.unread == alone.unread && read.hasBusiness == alone.hasBusiness
                        && read.balanceVersion == alone.balanceVersion && read.transactionListVersion == alone.transactionListVersion)
            }

            // An erased customer, or none at all, has no overview.
            try await database.run("UPDATE users SET deleted_at = \(bind: now) WHERE id = 'u3'")
            #expect(try await Self.overview("u3", database) == nil)
            #expect(try await Self.overview("nobody", database) == nil)
        }
    }
}
