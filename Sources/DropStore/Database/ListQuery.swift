import DropCore
import Foundation
import SQLKit

/// A list's SELECT: optional filters, each bound, then newest-first keyset paging on a
/// `created_at` and the id (the position the last page ended on).
///
/// Conditions name the listed table only (by its alias): `page` looks up the row a cursor names
/// under the same conditions, so a cursor naming a row the caller can't list tells nothing of it.
struct ListQuery {
    private(set) var sql: SQLQueryString
    /// Every condition so far, in order.
    private var conditions: [SQLQueryString] = []

    init(_ select: String) {
        sql = SQLQueryString("\(unsafeRaw: select)")
    }

    /// Adds `AND <clause> <value>`, e.g. `and("a.status =", status)`; nothing when `value` is nil.
    mutating func and(_ clause: String, _ value: (some Encodable & Sendable)?) {
        guard let value else { return }
        and("\(unsafeRaw: clause) \(bind: value)")
    }

    /// A caller's time, clamped to `AcceptedTimes`: routes refuse times outside it, and should one
    /// forget, PostgresNIO would trap binding a far-off `Date` and crash the server. Every stored
    /// time lies within, so clamping changes no answer.
    mutating func and(_ clause: String, _ time: Date?) {
        guard let time else { return }
        and("\(unsafeRaw: clause) \(bind: AcceptedTimes.clamped(time))")
    }

    /// Adds `AND <condition>`, a fragment carrying its own binds.
    mutating func and(_ condition: SQLQueryString) {
        sql.appendInterpolation(unsafeRaw: conditions.isEmpty ? " WHERE " : " AND ")
        sql.appendInterpolation(condition)
        conditions.append(condition)
    }

    /// Newest first, after `position`, one more than `limit` so the page knows whether more follow.
    /// `table` is the listed table, `alias` its name in the SELECT.
    mutating func page(table: String, alias: String?, after position: PagePosition?, limit: Int) {
        if let position {
            and(NewestFirst.after(createdAt: position.createdAt, id: position.id, table: table, alias: alias, scope: conditions))
        }
        sql.appendInterpolation(unsafeRaw: NewestFirst.orderBy(alias: alias) + " LIMIT ")
        sql.appendInterpolation(bind: limit + 1)
    }
}

/// Where the last page of a newest-first list ended: its last row's `created_at` and id.
public struct PagePosition: Sendable, Equatable {
    public let createdAt: Date
    public let id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }
}
