import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// A read of a table the tests make; `$1` twice is one parameter on both databases.
struct ProbeRead: PreparedRead {
    static let sql = "SELECT n FROM prepared_probe WHERE k = $1 OR k = $1 || '!' ORDER BY n"
    let key: String
    var parameters: [String] { [key] }
}

/// Hot reads are planned once per connection on PostgreSQL (named prepared statements), never
/// inside a transaction, and a statement that once failed to prepare still runs once it can.
@Suite("Prepared reads")
struct PreparedReadTests {
    static func numbers(_ db: any SQLDatabase, _ key: String) async throws -> [Int] {
        try await db.rows(ProbeRead(key: key)).map { try $0.decode(column: "n", as: Int.self) }
    }

    /// The names of the statements prepared on this connection (PostgreSQL).
    static func prepared(_ db: any SQLDatabase) async throws -> [String] {
        try await db.raw("SELECT name FROM pg_prepared_statements").all().map { try $0.decode(column: "name", as: String.self) }
    }

    static func makeTable(_ db: any SQLDatabase) async throws {
        try await db.raw("CREATE TABLE prepared_probe (k TEXT NOT NULL, n INTEGER NOT NULL)").run()
        try await db.raw("INSERT INTO prepared_probe (k, n) VALUES ('a', 1), ('a!', 2), ('b', 3)").run()
    }

    @Test func aReadIsPreparedOncePerConnectionButNotInATransaction() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                try await Self.makeTable(db)
                #expect(try await Self.numbers(db, "a") == [1, 2])
                #expect(try await Self.numbers(db, "b") == [3])
                if database.dialect == .postgres {
                    #expect(try await Self.prepared(db).filter { $0.hasSuffix("ProbeRead") }.count == 1)
                }
            }
            try await database.transaction { db in
                #expect(try await Self.numbers(db, "a") == [1, 2])
                if database.dialect == .postgres {
                    // The transaction's connection may be the one above: nothing new is prepared on it.
                    let before = try await Self.prepared(db).count
                    _ = try await db.rows(UserLookalikeRead(key: "a"))
                    #expect(try await Self.prepared(db).count == before)
                }
            }
        }
    }

    @Test func aStatementThatOnceFailedToPrepareRunsOnceItCan() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                // Before its table exists the read fails, with the server's own error...
                await #expect(throws: (any Error).self) { try await Self.numbers(db, "a") }
                // ...and on the same connection, once the table is there, it answers.
                try await Self.makeTable(db)
                #expect(try await Self.numbers(db, "a") == [1, 2])
            }
        }
    }
}

/// A second read, only ever run inside a transaction above.
struct UserLookalikeRead: PreparedRead {
    static let sql = "SELECT n FROM prepared_probe WHERE k = $1"
    let key: String
    var parameters: [String] { [key] }
}
