import DropStore
import Foundation
import SQLKit

/// An admin list's SELECT: optional filters, each bound, then newest-first keyset paging on a
/// `created_at` and the id (the `TimeOrderedCursor` every list hands out).
struct AdminListQuery {
    private(set) var sql: SQLQueryString
    private var hasWhere = false

    init(_ select: String) {
        sql = SQLQueryString("\(unsafeRaw: select)")
    }

    /// Adds `AND <clause> <value>`, e.g. `and("a.status =", status)`; nothing when `value` is nil.
    mutating func and(_ clause: String, _ value: (some Encodable & Sendable)?) {
        guard let value else { return }
        sql.appendInterpolation(unsafeRaw: (hasWhere ? " AND " : " WHERE ") + clause + " ")
        sql.appendInterpolation(bind: value)
        hasWhere = true
    }

    /// Newest first, after `cursor`, one more than `limit` so the page knows whether more follow.
    /// `table` is the listed table, `alias` its name in the SELECT.
    mutating func page(table: String, alias: String, cursor: TimeOrderedCursor?, limit: Int) {
        if let cursor {
            sql.appendInterpolation(unsafeRaw: hasWhere ? " AND " : " WHERE ")
            sql.appendInterpolation(NewestFirst.after(createdAt: cursor.createdAt, id: cursor.id, table: table, alias: alias))
            hasWhere = true
        }
        sql.appendInterpolation(unsafeRaw: NewestFirst.orderBy(alias: alias) + " LIMIT ")
        sql.appendInterpolation(bind: limit + 1)
    }
}
