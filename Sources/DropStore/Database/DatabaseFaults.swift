import NIOCore
import SQLKit
import Synchronization

/// Test-only: the database failing at a chosen moment, as PostgreSQL does when a connection drops, a
/// statement times out or the server restarts (ADR 0035). A test arms a rule; the next statement (or
/// the next COMMIT of a transaction) it matches fails with `DatabaseFaults.Lost`, either before it
/// reaches the database or after it ran there, its answer lost. The second is the case that matters:
/// a COMMIT that committed and still reported an error.
///
/// Production never has one: `Database.Options.faults` is nil unless a test sets it (no setting or
/// environment variable reaches it), and `Database` then wraps nothing. Behind `@_spi(FaultInjection)`.
@_spi(FaultInjection)
public final class DatabaseFaults: Sendable {
    /// Where the statement fails.
    public enum When: Sendable {
        /// It never reaches the database (the connection was already gone): nothing of it happens, and
        /// a transaction it was in rolls back.
        case before
        /// It ran (a COMMIT: committed), and then the connection was lost before its answer came.
        case after
    }

    /// The error an injected fault throws: what the driver reports for a connection lost mid-call.
    public struct Lost: Error, CustomStringConvertible {
        public let sql: String
        public var description: String { "the connection to the database was lost (injected fault) at: \(sql.prefix(80))" }
    }

    fileprivate struct Rule {
        enum Target { case statement, commit }
        let target: Target
        let sql: String
        let when: When
        var times: Int
    }

    private let rules = Mutex<[Rule]>([])
    private let firedCount = Atomic<Int>(0)

    public init() {}

    /// The next `times` statements whose SQL contains `sql` (case-sensitive, as Drop writes it) fail.
    /// Outside a transaction `.after` is a write that committed with its answer lost.
    public func failStatement(containing sql: String, _ when: When, times: Int = 1) {
        rules.withLock { $0.append(Rule(target: .statement, sql: sql, when: when, times: times)) }
    }

    /// The COMMIT of the next `times` transactions that sent a statement containing `sql` fails: `.before`
    /// rolls the transaction back, `.after` commits it and still throws.
    public func failCommit(ofTransactionContaining sql: String, _ when: When, times: Int = 1) {
        rules.withLock { $0.append(Rule(target: .commit, sql: sql, when: when, times: times)) }
    }

    /// How many faults have fired.
    public var fired: Int { firedCount.load(ordering: .relaxed) }

    /// Whether a rule is still waiting to fire.
    public var isArmed: Bool { rules.withLock { !$0.isEmpty } }

    /// Disarms every rule.
    public func reset() { rules.withLock { $0.removeAll() } }

    /// The rule `target` fires for `sql` now, if any (counted down and removed when spent).
    fileprivate func take(_ target: Rule.Target, matching texts: [String]) -> When? {
        rules.withLock { rules in
            guard let index = rules.firstIndex(where: { rule in rule.target == target && texts.contains { $0.contains(rule.sql) } }) else {
                return nil
            }
            let when = rules[index].when
            rules[index].times -= 1
            if rules[index].times <= 0 { rules.remove(at: index) }
            firedCount.add(1, ordering: .relaxed)
            return when
        }
    }

    fileprivate var hasRules: Bool { rules.withLock { !$0.isEmpty } }
}

/// One pooled connection's statements, passing by `DatabaseFaults` (only where a test gave one).
/// It sees a transaction's BEGIN, its statements and its COMMIT, as they all go through the session.
final class FaultySQLDatabase: SQLDatabaseWrapper, Sendable {
    let base: any SQLDatabase
    let faults: DatabaseFaults
    /// The statements of the transaction open on this connection (nil outside one).
    private let transaction = Mutex<[String]?>(nil)

    init(base: any SQLDatabase, faults: DatabaseFaults) {
        self.base = base
        self.faults = faults
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let text = base.serialize(query).sql
        let keyword = TracedSQLDatabase.operation(of: text)
        switch keyword {
        case "BEGIN":
            transaction.withLock { $0 = [] }
            try await base.execute(sql: query, onRow)
        case "COMMIT":
            let statements = transaction.withLock { statements in
                defer { statements = nil }
                return statements ?? []
            }
            let when = faults.take(.commit, matching: statements)
            if when == .before { throw DatabaseFaults.Lost(sql: text) }
            try await base.execute(sql: query, onRow)
            if when == .after { throw DatabaseFaults.Lost(sql: text) }
        case "ROLLBACK":
            transaction.withLock { $0 = nil }
            try await base.execute(sql: query, onRow)
        default:
            try await run(text, { try await base.execute(sql: query, onRow) })
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    fileprivate func run<T>(_ text: String, _ statement: () async throws -> T) async throws -> T {
        transaction.withLock { $0?.append(text) }
        guard faults.hasRules else { return try await statement() }
        let when = faults.take(.statement, matching: [text])
        if when == .before { throw DatabaseFaults.Lost(sql: text) }
        let result = try await statement()
        if when == .after { throw DatabaseFaults.Lost(sql: text) }
        return result
    }
}

extension FaultySQLDatabase: PreparesStatements {
    func prepared<Read: PreparedRead>(_ read: Read) async throws -> [any SQLRow] {
        try await run(Read.sql) { try await base.rows(read) }
    }
}
