import SQLKit

extension SQLDatabase {
    /// Runs `write`, an `INSERT … VALUES` without `RETURNING` whose row nothing in its transaction
    /// reads before the next statement. Inside a `Database.transaction` on PostgreSQL it waits and
    /// goes out with the other inserts waiting, as one statement, just before the body's next
    /// statement or its audit rows (`AuditedTransaction`): a transfer's quote, transfer, history
    /// entry and notification are one round trip instead of four (ADR 0022). Anywhere else it runs
    /// at once.
    ///
    /// Its error, if any (a unique or foreign key violation), then comes from that next statement
    /// or from the transaction's end: only for writes whose failure the caller lets end the
    /// transaction, never one it catches to carry on.
    public func runBatched(_ write: SQLQueryString) async throws {
        if let transaction = self as? AuditedTransaction, transaction.batchesWrites {
            return transaction.batch(write)
        }
        try await raw(write).run()
    }
}

/// Several writes as one PostgreSQL statement: every write but the last a data-modifying `WITH`,
/// which PostgreSQL runs exactly once and to completion whether or not the statement reads it.
/// All of them see the same snapshot, so none may read what another writes; the foreign keys
/// between them are checked at the statement's end, when every row is in.
enum BatchedWrites {
    static func statement(_ writes: [SQLQueryString]) -> SQLQueryString? {
        guard let last = writes.last else { return nil }
        guard writes.count > 1 else { return last }
        let leading = writes.dropLast().enumerated().map { index, write -> SQLQueryString in
            "w\(unsafeRaw: String(index)) AS (\(write))"
        }
        return "WITH " + leading.joined(separator: ", ") + " " + last
    }
}
