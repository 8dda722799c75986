import Foundation
import SQLKit

/// An admin list's SELECT: optional filters, each bound, then newest-first keyset paging on a
/// time column and the id (the `TimeOrderedCursor` every list hands out).
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
    mutating func page(time: String, id: String, cursor: TimeOrderedCursor?, limit: Int) {
        if let cursor {
            sql.appendInterpolation(unsafeRaw: (hasWhere ? " AND (" : " WHERE (") + time + " < ")
            sql.appendInterpolation(bind: cursor.createdAt)
            sql.appendInterpolation(unsafeRaw: " OR (" + time + " = ")
            sql.appendInterpolation(bind: cursor.createdAt)
            sql.appendInterpolation(unsafeRaw: " AND " + id + " < ")
            sql.appendInterpolation(bind: cursor.id)
            sql.appendInterpolation(unsafeRaw: "))")
            hasWhere = true
        }
        sql.appendInterpolation(unsafeRaw: " ORDER BY \(time) DESC, \(id) DESC LIMIT ")
        sql.appendInterpolation(bind: limit + 1)
    }
}
