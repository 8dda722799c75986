import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// During a deploy `drop migrate` runs first and the release before keeps running on the new schema until
/// its instances are replaced (docs/operations.md, ADR 0030). So a migration may only add what the release
/// before can ignore: each is applied in turn, the schema read before and after, and what would make that
/// release's writes fail is named.
extension MigrationTests {
    /// Shipped before the rule, each looked at then: the release before wrote no row these refuse.
    static let before0030: [Int: String] = [
        13: "users.locale moved to a new column under the same name, widening its CHECK",
        22: "one merchant per owner and one open business per organisation number: the release before already refused both",
    ]

    @Test func everyMigrationLeavesThePreviousReleaseWriting() async throws {
        try await TestDatabase.with(migrate: false) { database in
            var before = try await SchemaShape.read(database)
            var breaking: [String] = []
            for migration in Migration.all {
                _ = try await Migrator(migrations: Migration.all.filter { $0.version <= migration.version }).migrate(database)
                let after = try await SchemaShape.read(database)
                let found = after.breaks(from: before).map { "\(migration.version) \(migration.name): \($0)" }
                if Self.before0030[migration.version] == nil { breaking += found }
                before = after
            }
            #expect(breaking.isEmpty, "\(breaking.joined(separator: "\n"))")
        }
    }

    /// An index built in a migration's transaction stops every write to its table while it is built: on a big table,
    /// minutes of payments waiting. From migration 34 on each says `IF NOT EXISTS`, so an operator can build it first
    /// with `CREATE INDEX CONCURRENTLY` (docs/operations.md, "Migrations on a live database") and the migration finds it.
    @Test func everyIndexFromMigration34OnCanBeBuiltByHandFirst() throws {
        let index = try Regex(#"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!IF\s+NOT\s+EXISTS)"#).ignoresCase()
        for migration in Migration.all where migration.version >= 34 {
            for dialect in [Dialect.sqlite, .postgres] {
                for statement in migration.statements(for: dialect) {
                    #expect(statement.firstMatch(of: index) == nil, "\(migration.version) \(migration.name): \(statement)")
                }
            }
        }
    }

    /// Migration 34's index built by hand first, as an operator would, CONCURRENTLY on PostgreSQL: the migration applies.
    @Test func migration34FindsItsIndexBuiltByHand() async throws {
        try await TestDatabase.with(migrate: false) { database in
            _ = try await Migrator(migrations: Migration.all.filter { $0.version < 34 }).migrate(database)
            let concurrently = database.dialect == .postgres ? "CONCURRENTLY " : ""
            try await database.withConnection { db in
                try await db.raw("""
                    CREATE INDEX \(unsafeRaw: concurrently)IF NOT EXISTS transactions_user_funds_received ON transactions (user_id, funds_received_at)
                    """).run()
            }
            #expect(try await Migrator().migrate(database).contains(34))
        }
    }

    /// The check sees what it must: each of these, added to a table the release before writes, is named.
    @Test func theCheckNamesWhatWouldBreakTheReleaseBefore() async throws {
        let unsafe: [(String, String)] = [
            ("ALTER TABLE payouts DROP COLUMN pain002", "payouts.pain002"),
            ("ALTER TABLE quotes RENAME COLUMN rate TO fx_rate", "quotes.rate"),
            ("CREATE UNIQUE INDEX payouts_one_per_currency ON payouts (currency)", "payouts_one_per_currency"),
        ]
        for (statement, named) in unsafe {
            try await TestDatabase.with { database in
                let before = try await SchemaShape.read(database)
                try await database.run(SQLQueryString(statement))
                let found = try await SchemaShape.read(database).breaks(from: before)
                #expect(found.contains { $0.contains(named) }, "\(statement): \(found)")
            }
        }
        // A column the release before can't leave out (SQLite refuses to add one to any table; PostgreSQL to a table with rows).
        let payouts = SchemaShape(tables: ["payouts": ["id": .init(notNull: true, hasDefault: false)]])
        var added = payouts
        added.tables["payouts"]?["partner_batch"] = .init(notNull: true, hasDefault: false)
        #expect(added.breaks(from: payouts) == ["column payouts.partner_batch added NOT NULL without a default"])
        var tightened = added
        tightened.tables["payouts"]?["partner_batch"] = .init(notNull: false, hasDefault: false)
        #expect(added.breaks(from: tightened) == ["column payouts.partner_batch now NOT NULL without a default"])
        // What is safe is not named: a column the release before leaves NULL or at its default, an index.
        try await TestDatabase.with { database in
            let before = try await SchemaShape.read(database)
            try await database.run("ALTER TABLE payouts ADD COLUMN partner_batch TEXT")
            try await database.run("ALTER TABLE payouts ADD COLUMN priority INTEGER NOT NULL DEFAULT 0")
            try await database.run("CREATE INDEX payouts_currency ON payouts (currency)")
            try await database.run("CREATE UNIQUE INDEX payouts_partner_batch ON payouts (partner_batch)")
            #expect(try await SchemaShape.read(database).breaks(from: before).isEmpty)
        }
    }
}

/// What of a schema decides whether an older release's INSERTs and UPDATEs still succeed: each table's
/// columns (NOT NULL, with a default) and the unique indexes and constraints over its columns.
struct SchemaShape {
    struct Column: Equatable {
        let notNull: Bool
        let hasDefault: Bool
    }

    /// A unique index, or (PostgreSQL) a CHECK, UNIQUE, foreign key or exclusion constraint, and the columns it covers.
    struct Rule {
        let table: String
        let name: String
        /// Empty when it covers an expression rather than columns.
        let columns: [String]
    }

    var tables: [String: [String: Column]] = [:]
    var rules: [String: Rule] = [:]

    /// What a release written for `before` would meet here.
    func breaks(from before: SchemaShape) -> [String] {
        var found: [String] = []
        for (table, old) in before.tables.sorted(by: { $0.key < $1.key }) {
            guard let new = tables[table] else {
                found.append("table \(table) dropped")
                continue
            }
            for (name, column) in old.sorted(by: { $0.key < $1.key }) {
                guard let now = new[name] else {
                    found.append("column \(table).\(name) dropped or renamed")
                    continue
                }
                if now.notNull && !now.hasDefault && !(column.notNull && !column.hasDefault) {
                    found.append("column \(table).\(name) now NOT NULL without a default")
                }
            }
            for (name, column) in new.sorted(by: { $0.key < $1.key }) where old[name] == nil && column.notNull && !column.hasDefault {
                found.append("column \(table).\(name) added NOT NULL without a default")
            }
        }
        for (key, rule) in rules.sorted(by: { $0.key < $1.key }) where before.rules[key] == nil {
            guard let old = before.tables[rule.table] else { continue }
            // Over columns the release before never writes (NULL, or their default), it refuses none of its rows.
            if rule.columns.isEmpty || rule.columns.contains(where: { old[$0] != nil }) {
                found.append("\(rule.name) on \(rule.table) (\(rule.columns.joined(separator: ", "))) over columns it already had")
            }
        }
        return found
    }

    static func read(_ database: Database) async throws -> SchemaShape {
        try await database.withConnection { db in
            database.dialect == .postgres ? try await postgres(db) : try await sqlite(db)
        }
    }

    private static func sqlite(_ db: any SQLDatabase) async throws -> SchemaShape {
        var shape = SchemaShape()
        let tables = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
            .map { try $0.decode(column: "name", as: String.self) }
        for table in tables {
            // Names read from sqlite_master itself.
            for row in try await db.raw("SELECT name, \"notnull\" AS not_null, dflt_value FROM pragma_table_info('\(unsafeRaw: table)')").all() {
                shape.tables[table, default: [:]][try row.decode(column: "name", as: String.self)] = Column(
                    notNull: try row.decode(column: "not_null", as: Int.self) == 1, hasDefault: try row.decode(column: "dflt_value", as: String?.self) != nil)
            }
            let indexes = try await db.raw("SELECT name FROM pragma_index_list('\(unsafeRaw: table)') WHERE \"unique\" = 1").all()
                .map { try $0.decode(column: "name", as: String.self) }
            for index in indexes {
                let columns = try await db.raw("SELECT name FROM pragma_index_info('\(unsafeRaw: index)')").all()
                    .compactMap { try $0.decode(column: "name", as: String?.self) }
                shape.rules["\(table).\(index)"] = Rule(table: table, name: index, columns: columns)
            }
        }
        return shape
    }

    private static func postgres(_ db: any SQLDatabase) async throws -> SchemaShape {
        var shape = SchemaShape()
        for row in try await db.raw("""
            SELECT table_name, column_name, is_nullable, column_default IS NOT NULL AS has_default
            FROM information_schema.columns WHERE table_schema = current_schema()
            """).all() {
            shape.tables[try row.decode(column: "table_name", as: String.self), default: [:]][try row.decode(column: "column_name", as: String.self)] = Column(
                notNull: try row.decode(column: "is_nullable", as: String.self) == "NO", hasDefault: try row.decode(column: "has_default", as: Bool.self))
        }
        let rules = try await db.raw("""
            SELECT t.relname AS table_name, i.relname AS name,
                   COALESCE((SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
                             WHERE a.attrelid = t.oid AND a.attnum = ANY(x.indkey)), '') AS columns
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND x.indisunique
            UNION ALL
            SELECT t.relname, c.conname,
                   COALESCE((SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
                             WHERE a.attrelid = t.oid AND a.attnum = ANY(c.conkey)), '')
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND c.contype IN ('c', 'f', 'x')
            """).all()
        for row in rules {
            let table = try row.decode(column: "table_name", as: String.self)
            let name = try row.decode(column: "name", as: String.self)
            let columns = try row.decode(column: "columns", as: String.self)
            shape.rules["\(table).\(name)"] = Rule(table: table, name: name, columns: columns.isEmpty ? [] : columns.split(separator: ",").map(String.init))
        }
        return shape
    }
}
