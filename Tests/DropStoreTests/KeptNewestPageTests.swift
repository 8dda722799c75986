import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// A page kept in the database beside a customer's `TransactionListVersion` (migration 19, ADR 0023) is only ever
/// that number's page: kept only under the number its rows were read after, emptied by every write that moves the
/// number, and given back only in the format it was written in.
@Suite("The newest page kept in the database")
struct KeptNewestPageTests {
    typealias Versions = TransactionListVersionTests
    static let format = "1/20"

    static func kept(_ userId: String, _ database: Database, format: String = format) async throws -> KeptNewestPage {
        try await KeptNewestPage.read(userId: userId, format: format, in: database)
    }

    @Test func aPageIsKeptUnderItsNumberAndGoneWithTheNextWrite() async throws {
        try await TestDatabase.with { database in
            try await Versions.seed(database)
            // No transaction, no number: nothing to keep a page under.
            #expect(try await Self.kept("u1", database) == KeptNewestPage(version: 0, json: nil))
            #expect(try await KeptNewestPage.keep("[]", format: Self.format, userId: "u1", version: 0, in: database) == false)

            try await Versions.insertRemittance("t1", database)
            let number = try await Versions.version("u1", database)
            #expect(try await Self.kept("u1", database) == KeptNewestPage(version: number, json: nil))
            #expect(try await KeptNewestPage.keep(#"{"items":["t1"]}"#, format: Self.format, userId: "u1", version: number, in: database))
            #expect(try await Self.kept("u1", database) == KeptNewestPage(version: number, json: #"{"items":["t1"]}"#))
            // Another customer's read doesn't see it; another format isn't given back.
            #expect(try await Self.kept("u3", database).json == nil)
            #expect(try await Self.kept("u1", database, format: "2/20") == KeptNewestPage(version: number, json: nil))

            // A page read under an older number is not kept over it.
            #expect(try await KeptNewestPage.keep(#"{"items":["old"]}"#, format: Self.format, userId: "u1", version: number - 1, in: database) == false)
            #expect(try await Self.kept("u1", database).json == #"{"items":["t1"]}"#)

            // Every kind of write that moves the number empties the page with it.
            try await database.run("UPDATE transactions SET status = 'processing' WHERE id = 't1'")
            let afterUpdate = try await Self.kept("u1", database)
            #expect(afterUpdate.version > number && afterUpdate.json == nil)

            #expect(try await KeptNewestPage.keep(#"{"items":["t1 processing"]}"#, format: Self.format, userId: "u1", version: afterUpdate.version, in: database))
            try await database.run("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, merchant_id, end_to_end_id, created_at, updated_at)
                VALUES ('t2', 'u1', 'qr_payment', 'completed', 4500, 'NOK', 0, 4500, 'm1', 'E2E-t2', \(bind: Versions.now), \(bind: Versions.now))
                """)
            let afterInsert = try await Self.kept("u1", database)
            #expect(afterInsert.version > afterUpdate.version && afterInsert.json == nil)

            #expect(try await KeptNewestPage.keep(#"{"items":["t2","t1"]}"#, format: Self.format, userId: "u1", version: afterInsert.version, in: database))
            try await database.run("UPDATE merchants SET city = 'Oslo' WHERE id = 'm1'")
            let afterRename = try await Self.kept("u1", database)
            #expect(afterRename.version > afterInsert.version && afterRename.json == nil)

            // An erasure's purge deletes the rows: the page, with its names and amounts, goes with the number's move.
            #expect(try await KeptNewestPage.keep(#"{"items":["Anna"]}"#, format: Self.format, userId: "u1", version: afterRename.version, in: database))
            try await database.run("DELETE FROM transactions WHERE user_id = 'u1'")
            #expect(try await Self.kept("u1", database).json == nil)
        }
    }

    /// PostgreSQL compresses the page with lz4 where the server has it (CI's does): a quarter of the default's time.
    @Test func postgreSQLCompressesThePageWithLZ4() async throws {
        try await TestDatabase.with { database in
            guard database.dialect == .postgres else { return }
            let method = try await database.withConnection { db in
                try await db.raw("""
                    SELECT CAST(attcompression AS TEXT) AS method FROM pg_attribute
                    WHERE attrelid = CAST('transaction_list_versions' AS regclass) AND attname = 'newest_page'
                    """).first()?.decode(column: "method", as: String.self)
            }
            #expect(method == "l")
        }
    }

    /// A page read before a write commits and kept while it commits: the write moves the number first, so the
    /// page (which may or may not hold the write's rows) is not kept beside the new number.
    @Test func aPageKeptWhileAWriteCommitsIsNotKept() async throws {
        try await TestDatabase.with { database in
            try await Versions.seed(database)
            try await Versions.insertRemittance("t1", database)
            let number = try await Versions.version("u1", database)
            let (written, writtenSignal) = AsyncStream<Void>.makeStream()
            let (keeping, keepingSignal) = AsyncStream<Void>.makeStream()
            async let write: Void = database.transaction { db in
                try await db.raw("UPDATE transactions SET status = 'processing' WHERE id = 't1'").run()
                writtenSignal.yield()
                // Holds the customer's number (PostgreSQL's row lock, SQLite's one writer) while the page is kept.
                for await _ in keeping { break }
                try await Task.sleep(for: .milliseconds(150))
            }
            for await _ in written { break }
            async let kept = KeptNewestPage.keep(#"{"items":["t1 pending"]}"#, format: Self.format, userId: "u1", version: number, in: database)
            keepingSignal.yield()
            try await write
            #expect(try await kept == false)
            let after = try await Self.kept("u1", database)
            #expect(after.version > number && after.json == nil)
        }
    }
}
