@testable import DropStore
import DropTestSupport
import DropTestTools
import Foundation
import SQLiteNIO
import SQLKit
import Testing

/// On SQLite a `PreparedRead` outside a transaction runs on a statement kept prepared on a connection of
/// Drop's own (ADR 0025): parsed once per connection, seeing every committed write, never a
/// transaction's own reads, and closed with the database.
@Suite("SQLite's kept statements", .enabled(if: !TestDatabase.isPostgres))
struct SQLiteKeptStatementsTests {
    static func kept(_ database: Database) throws -> SQLiteKeptStatements {
        try #require(database.keptStatements)
    }

    @Test func aReadIsParsedOncePerConnection() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { try await PreparedReadTests.makeTable($0) }
            let kept = try Self.kept(database)
            for _ in 0..<20 {
                let numbers = try await database.withConnection { try await PreparedReadTests.numbers($0, "a") }
                #expect(numbers == [1, 2])
            }
            // One after another, the reads find the same connection idle.
            #expect(kept.counts.open == 1)
            #expect(kept.counts.prepared == 1)

            // Side by side, each connection parses it once, however many reads it runs.
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<40 { group.addTask { try await database.withConnection { try await PreparedReadTests.numbers($0, "b") } } }
                for try await numbers in group { #expect(numbers == [3]) }
            }
            #expect(kept.counts.prepared == kept.counts.open)
        }
    }

    @Test func aReadSeesWhatWasCommittedJustBefore() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { try await PreparedReadTests.makeTable($0) }
            for n in 10..<30 {
                try await database.transaction { try await $0.raw("INSERT INTO prepared_probe (k, n) VALUES ('c', \(bind: n))").run() }
                let numbers = try await database.withConnection { try await PreparedReadTests.numbers($0, "c") }
                #expect(numbers == Array(10...n))
            }
        }
    }

    /// A transaction's read must see its own writes, which no other connection can: it stays on the
    /// transaction's connection and prepares nothing.
    @Test func aTransactionReadsOnItsOwnConnection() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { try await PreparedReadTests.makeTable($0) }
            let kept = try Self.kept(database)
            let prepared = kept.counts.prepared
            let seen = try await database.transaction { db in
                try await db.raw("INSERT INTO prepared_probe (k, n) VALUES ('t', 9)").run()
                return try await PreparedReadTests.numbers(db, "t")
            }
            #expect(seen == [9])
            #expect(kept.counts.prepared == prepared)
        }
    }

    /// A read whose statement doesn't prepare goes out as a plain statement: SQLite's own error, and
    /// once its table is there, its rows.
    @Test func aReadThatDoesNotPrepareGivesSQLitesOwnError() async throws {
        try await TestDatabase.with { database in
            do {
                _ = try await database.withConnection { try await PreparedReadTests.numbers($0, "a") }
                Issue.record("a read of a missing table answered")
            } catch {
                #expect(error is SQLiteError)
            }
            try await database.withConnection { try await PreparedReadTests.makeTable($0) }
            let numbers = try await database.withConnection { try await PreparedReadTests.numbers($0, "a") }
            #expect(numbers == [1, 2])
        }
    }

    /// Each kind of value reads back as SQLiteNIO's own row has it, so a record decodes the same
    /// whichever connection read it.
    @Test func valuesReadAsThePlainStatementReadsThem() async throws {
        struct Values: PreparedRead {
            static let sql = "SELECT 7 AS i, 2.5 AS f, $1 AS t, x'00ff' AS b, NULL AS z, 1 AS i"
            let text: String
            var parameters: [String] { [text] }
        }
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                let kept = try #require(try await db.rows(Values(text: "Blåbær")).first)
                let plain = try #require(try await db.unprepared(Values(text: "Blåbær")).first)
                #expect(kept.allColumns == plain.allColumns)
                #expect(try kept.decode(column: "i", as: Int.self) == 7)
                #expect(try kept.decode(column: "f", as: Double.self) == 2.5)
                #expect(try kept.decode(column: "t", as: String.self) == "Blåbær")
                #expect(try kept.decode(column: "b", as: Data.self) == Data([0, 255]))
                #expect(try kept.decodeNil(column: "z"))
                #expect(try kept.decode(column: "z", as: String?.self) == nil)
                #expect(try plain.decode(column: "i", as: Int.self) == 7)
                #expect(try plain.decode(column: "f", as: Double.self) == 2.5)
                #expect(try plain.decode(column: "t", as: String.self) == "Blåbær")
                #expect(try plain.decode(column: "b", as: Data.self) == Data([0, 255]))
                #expect(try plain.decodeNil(column: "z"))
            }
            #expect(try Self.kept(database).counts.prepared == 1)
        }
    }

    @Test func shuttingDownClosesEveryConnection() async throws {
        let path = TestScratch.path("kept") + ".db"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try await Database.connect(.sqlite(path: path))
        try await database.withConnection { try await PreparedReadTests.makeTable($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await database.withConnection { try await PreparedReadTests.numbers($0, "a") } } }
            try await group.waitForAll()
        }
        let kept = try Self.kept(database)
        #expect(kept.counts.open >= 1)
        await database.shutdown()
        #expect(kept.counts.open == 0)
    }
}
