@testable import DropStore
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

    /// The kit's own connection under Drop's: PostgresKit's on PostgreSQL, SQLiteKit's on SQLite.
    /// Its rows and binds are the yardstick for Drop's.
    static func kits(_ db: any SQLDatabase) -> any SQLDatabase {
        (db as? PostgresSession)?.base ?? (db as? SQLiteSession)?.base ?? db
    }

    /// SQLKit's statements on PostgreSQL bind their values as PostgresKit does and read their rows
    /// as `PostgresPreparedRow`s; a statement with a bind PostgresNIO can't encode (an enum) goes to
    /// PostgresKit whole. The same inserts through Drop's connection and through PostgresKit's leave
    /// the same rows.
    @Test func statementsBindEveryTypeAsPostgresKitDoes() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                let (timestamp, boolean) = database.dialect == .postgres ? ("TIMESTAMPTZ", "BOOLEAN") : ("REAL", "INTEGER")
                for table in ["bound_drop", "bound_kit"] {
                    try await db.raw("""
                        CREATE TABLE \(unsafeRaw: table) (n INTEGER NOT NULL, t TEXT, big BIGINT, small INTEGER, at \(unsafeRaw: timestamp),
                          yes \(unsafeRaw: boolean), ratio DOUBLE PRECISION, kind TEXT)
                        """).run()
                }
                let at = Date(timeIntervalSince1970: 1_796_000_000.123456)
                let maybe: String? = "optional ✓"
                let none: Int64? = nil
                for (table, connection) in [("bound_drop", db), ("bound_kit", Self.kits(db))] {
                    try await connection.raw("""
                        INSERT INTO \(unsafeRaw: table) VALUES (1, \(bind: "Ærlig ✓"), \(bind: Int64.max), \(bind: 42), \(bind: at), \(bind: true),
                          \(bind: 0.363912), 'plain')
                        """).run()
                    try await connection.raw("""
                        INSERT INTO \(unsafeRaw: table) VALUES (2, \(bind: maybe), \(bind: none), \(bind: Int?.none), \(bind: Date?.none),
                          \(bind: Bool?.none), \(bind: Double?.none), \(bind: ProbeKind.remittance))
                        """).run()
                }
                let rows = try await db.raw("""
                    SELECT n, t, big, small, at, yes, ratio, kind FROM bound_drop ORDER BY n
                    """).all()
                let yardstick = try await Self.kits(db).raw("""
                    SELECT n, t, big, small, at, yes, ratio, kind FROM bound_kit ORDER BY n
                    """).all()
                #expect(rows.count == 2 && yardstick.count == 2)
                for (row, expected) in zip(rows, yardstick) {
                    #expect(try row.decode(column: "t", as: String?.self) == expected.decode(column: "t", as: String?.self))
                    #expect(try row.decode(column: "big", as: Int64?.self) == expected.decode(column: "big", as: Int64?.self))
                    #expect(try row.decode(column: "small", as: Int?.self) == expected.decode(column: "small", as: Int?.self))
                    #expect(try row.decode(column: "at", as: Date?.self) == expected.decode(column: "at", as: Date?.self))
                    #expect(try row.decode(column: "yes", as: Bool?.self) == expected.decode(column: "yes", as: Bool?.self))
                    #expect(try row.decode(column: "ratio", as: Double?.self) == expected.decode(column: "ratio", as: Double?.self))
                    #expect(try row.decode(column: "kind", as: String?.self) == expected.decode(column: "kind", as: String?.self))
                }
                #expect(try rows[0].decode(column: "big", as: Int64.self) == .max)
                #expect(try rows[0].decode(column: "t", as: String.self) == "Ærlig ✓")
                #expect(try abs(rows[0].decode(column: "at", as: Date.self).timeIntervalSince(at)) < 0.001)
                #expect(try rows[1].decode(column: "t", as: String?.self) == "optional ✓")
                #expect(try rows[1].decodeNil(column: "big") && rows[1].decodeNil(column: "at"))
                #expect(try rows[1].decode(column: "kind", as: String.self) == "remittance")
                #expect(rows.allSatisfy { $0 is PostgresPreparedRow || $0 is SQLiteReadRow })
                if database.dialect == .postgres {
                    #expect(rows.allSatisfy { $0 is PostgresPreparedRow })
                    // The same rows, compared by PostgreSQL itself.
                    let differing = try await db.raw("""
                        SELECT COUNT(*) AS n FROM ((SELECT * FROM bound_drop EXCEPT SELECT * FROM bound_kit)
                                                   UNION ALL (SELECT * FROM bound_kit EXCEPT SELECT * FROM bound_drop)) d
                        """).first()!.decode(column: "n", as: Int.self)
                    #expect(differing == 0)
                    #expect(PostgresSession.bindings([ProbeKind.remittance]) == nil)
                    #expect(PostgresSession.bindings(["a", Int64(1), Int?.none, at, true]) != nil)
                }
            }
        }
    }

    /// A prepared read's rows decode every column as the same statement's rows do sent plainly
    /// (the first are Drop's `PostgresPreparedRow` or `SQLiteReadRow`, the second the kit's own):
    /// the types records use, their nulls, a type left to PostgresKit, and a missing column.
    @Test func preparedRowsDecodeAsPlainRowsDo() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                let (timestamp, boolean) = database.dialect == .postgres ? ("TIMESTAMPTZ", "BOOLEAN") : ("REAL", "INTEGER")
                try await db.raw("""
                    CREATE TABLE prepared_types (t TEXT NOT NULL, t_null TEXT, big BIGINT NOT NULL, big_null BIGINT, small INTEGER NOT NULL,
                      small_null INTEGER, at \(unsafeRaw: timestamp) NOT NULL, at_null \(unsafeRaw: timestamp), yes \(unsafeRaw: boolean) NOT NULL,
                      yes_null \(unsafeRaw: boolean), ratio NUMERIC(12, 6) NOT NULL, kind TEXT NOT NULL)
                    """).run()
                let at = Date(timeIntervalSince1970: 1_796_000_000.123456)
                try await db.raw("""
                    INSERT INTO prepared_types VALUES (\(bind: "Ærlig ✓"), \(bind: "x"), \(bind: Int64.max), \(bind: Int64(-7)), \(bind: 42),
                      \(bind: 7), \(bind: at), \(bind: at), \(bind: true), \(bind: false), 0.363912, 'remittance')
                    """).run()
                try await db.raw("""
                    INSERT INTO prepared_types (t, big, small, at, yes, ratio, kind)
                    VALUES ('', \(bind: Int64.min), -1, \(bind: at.addingTimeInterval(-86_400)), \(bind: false), 1, 'payment')
                    """).run()
                let prepared = try await db.rows(EveryTypeRead())
                let plain = try await Self.kits(db).raw(SQLQueryString(EveryTypeRead.sql)).all()
                #expect(prepared.count == 2 && plain.count == 2)
                for (row, expected) in zip(prepared, plain) {
                    #expect(row.allColumns == expected.allColumns)
                    #expect(try row.decode(column: "t", as: String.self) == expected.decode(column: "t", as: String.self))
                    #expect(try row.decode(column: "t_null", as: String?.self) == expected.decode(column: "t_null", as: String?.self))
                    #expect(try row.decode(column: "big", as: Int64.self) == expected.decode(column: "big", as: Int64.self))
                    #expect(try row.decode(column: "big_null", as: Int64?.self) == expected.decode(column: "big_null", as: Int64?.self))
                    #expect(try row.decode(column: "small", as: Int.self) == expected.decode(column: "small", as: Int.self))
                    #expect(try row.decode(column: "small_null", as: Int?.self) == expected.decode(column: "small_null", as: Int?.self))
                    #expect(try row.decode(column: "at", as: Date.self) == expected.decode(column: "at", as: Date.self))
                    #expect(try row.decode(column: "at_null", as: Date?.self) == expected.decode(column: "at_null", as: Date?.self))
                    #expect(try row.decode(column: "yes", as: Bool.self) == expected.decode(column: "yes", as: Bool.self))
                    #expect(try row.decode(column: "yes_null", as: Bool?.self) == expected.decode(column: "yes_null", as: Bool?.self))
                    #expect(try row.decode(column: "ratio", as: Double.self) == expected.decode(column: "ratio", as: Double.self))
                    // Through `Decodable`, which the prepared row leaves to PostgresKit.
                    #expect(try row.decode(column: "kind", as: ProbeKind.self) == expected.decode(column: "kind", as: ProbeKind.self))
                    #expect(try row.decode(column: "kind", caseOf: ProbeKind.self) == expected.decode(column: "kind", as: ProbeKind.self))
                    #expect(try row.decodeNil(column: "t_null") == expected.decodeNil(column: "t_null"))
                    #expect(row.contains(column: "kind") && !row.contains(column: "nope"))
                    #expect(throws: (any Error).self) { try row.decode(column: "nope", as: String.self) }
                    #expect(try row.decodeNil(column: "nope") == expected.decodeNil(column: "nope"))
                    // A value of another type is an error on both paths.
                    #expect(throws: (any Error).self) { try row.decode(column: "kind", as: Int64.self) }
                    #expect(throws: (any Error).self) { try expected.decode(column: "kind", as: Int64.self) }
                    #expect(throws: (any Error).self) { try row.decode(column: "kind", as: Int?.self) }
                    #expect(throws: (any Error).self) { try expected.decode(column: "kind", as: Int?.self) }
                }
                // The values themselves, so that two paths agreeing on a wrong answer would show.
                let first = try #require(prepared.first)
                #expect(try first.decode(column: "t", as: String.self) == "Ærlig ✓")
                #expect(try first.decode(column: "big", as: Int64.self) == .max)
                #expect(try first.decode(column: "yes_null", as: Bool?.self) == false)
                #expect(try first.decode(column: "kind", caseOf: ProbeKind.self) == .remittance)
                #expect(try abs(first.decode(column: "at", as: Date.self).timeIntervalSince(at)) < 0.001)
                #expect(try prepared[1].decode(column: "t_null", as: String?.self) == nil)
                #expect(try prepared[1].decode(column: "at_null", as: Date?.self) == nil)
                #expect(try prepared[1].decodeNil(column: "big_null"))
            }
        }
    }

    /// Rows after the first share its table of column names (`PostgresPreparedRow.Columns`); a name
    /// given twice reads as the plain row reads it, and every row reads its own values.
    @Test func laterRowsAndANameGivenTwiceReadAsPlainRowsDo() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                let prepared = try await db.rows(NameTwiceRead())
                let plain = try await Self.kits(db).raw(SQLQueryString(NameTwiceRead.sql)).all()
                #expect(prepared.count == 3 && plain.count == 3)
                for (index, (row, expected)) in zip(prepared, plain).enumerated() {
                    #expect(try row.decode(column: "n", as: Int.self) == expected.decode(column: "n", as: Int.self))
                    #expect(try row.decode(column: "label", as: String.self) == "row \(index + 1)")
                }
            }
        }
    }

    /// The shared table finds every name at its position, the last of a name given twice, and
    /// nothing for a name it doesn't hold, at every size it grows to (open addressing: a full run of
    /// slots, and names that land on one slot, must still be found or missed).
    @Test func theColumnTableFindsEveryNameAndNoOther() {
        let pool = ["id", "kind", "status", "amount_minor", "currency", "a", "b", "ab", "ba", "", "target_amount_minor", "æøå", "id "]
        for count in [1, 3, 4, 5, 8, 9, 17, 30, 64, 100] {
            var names = (0..<count).map { $0 < pool.count ? pool[$0] : "column_\($0)" }
            names.append(names[count / 2])  // a name given twice: the later counts
            let columns = PostgresPreparedRow.Columns(names: names)
            for name in Set(names) { #expect(columns.position(of: name) == names.lastIndex(of: name), "\(count): \(name)") }
            for absent in ["missing", "ID", "id\u{0}", "column_\(count + 1)", "amount"] where !names.contains(absent) {
                #expect(columns.position(of: absent) == nil, "\(count): \(absent)")
            }
        }
    }

    /// An enum column is read as its text and matched to a case (`decode(column:caseOf:)`); a value
    /// no case has is an error that names it.
    @Test func anEnumColumnIsItsTextMatchedToACase() async throws {
        try await TestDatabase.with { database in
            try await database.withConnection { db in
                try await db.raw("CREATE TABLE prepared_kinds (kind TEXT NOT NULL)").run()
                try await db.raw("INSERT INTO prepared_kinds VALUES ('payment'), ('standing')").run()
                let rows = try await db.raw("SELECT kind FROM prepared_kinds ORDER BY kind").all()
                #expect(try rows[0].decode(column: "kind", caseOf: ProbeKind.self) == .payment)
                #expect {
                    try rows[1].decode(column: "kind", caseOf: ProbeKind.self)
                } throws: { error in
                    String(describing: error).contains("holds standing, which is not a ProbeKind")
                }
            }
        }
    }
}

/// Every column of `prepared_types`, biggest `big` first.
struct EveryTypeRead: PreparedRead {
    static let sql = "SELECT t, t_null, big, big_null, small, small_null, at, at_null, yes, yes_null, ratio, kind FROM prepared_types ORDER BY big DESC"
    var parameters: [String] { [] }
}

/// Three rows with a column name given twice.
struct NameTwiceRead: PreparedRead {
    static let sql = "SELECT x AS n, 'row ' || x AS label, x * 10 AS n FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3) AS xs ORDER BY x"
    var parameters: [String] { [] }
}

/// A column decoded through `Decodable` rather than a PostgreSQL type of its own.
enum ProbeKind: String, Codable, Sendable {
    case remittance, payment
}

/// A second read, only ever run inside a transaction above.
struct UserLookalikeRead: PreparedRead {
    static let sql = "SELECT n FROM prepared_probe WHERE k = $1"
    let key: String
    var parameters: [String] { [key] }
}
