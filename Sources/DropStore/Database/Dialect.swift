import SQLKit

/// The two SQL engines Drop runs on. Almost all SQL is shared; the few differences are named here.
public enum Dialect: String, Sendable {
    case sqlite
    case postgres

    /// Row locks for claim queries; SQLite has one writer at a time, so it needs none.
    public var skipLockedClause: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    /// How a write transaction starts: SQLite takes the write lock up front so a transaction
    /// never fails half-way with BUSY on its first write.
    public var beginWrite: String { self == .postgres ? "BEGIN" : "BEGIN IMMEDIATE" }
}

extension SQLDatabase {
    /// Locks the rows a `SELECT` reads until the caller's transaction ends, on PostgreSQL; SQLite's
    /// single writer already orders two writers, so it needs none.
    var rowLockClause: String { dialect.name == "postgresql" ? " FOR UPDATE" : "" }

    /// Shares the rows a `SELECT` reads until the caller's transaction ends, on PostgreSQL: a writer of
    /// them (a verdict on a customer) waits for the caller's commit, and the caller waits for one under
    /// way. Several callers share them at once. SQLite's single writer already orders the two.
    var rowShareClause: String { dialect.name == "postgresql" ? " FOR SHARE" : "" }
}
