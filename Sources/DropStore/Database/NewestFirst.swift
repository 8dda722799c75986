import DropCore
import Foundation
import SQLKit

/// Newest-first keyset paging on `created_at, id`, exact on both databases.
///
/// The position is compared with the `created_at` the database holds for the row the last page
/// ended on, not with a `Date` that went through a driver: SQLite keeps every bit of a `Date` but
/// reads it back rounded to microseconds, so a timestamp carried in a cursor never equals the
/// stored one and rows were repeated or skipped. The cursor's own time is only the fallback
/// for a row deleted meanwhile (erasure, retention purge).
public enum NewestFirst {
    /// `(<alias>.created_at, <alias>.id) < position`, for the rows after the one the last page ended on.
    /// `table` is the table's own name (the position's row is looked up there), `alias` how the query names it.
    ///
    /// `scope` is the list's own conditions (naming the table by `alias`, or unqualified without one):
    /// the lookup names the table as the list does, so they apply to the position's row. A cursor
    /// naming someone else's row is then one naming no row: its time would otherwise show through
    /// what the page holds.
    public static func after(createdAt: Date, id: String, table: String, alias: String? = nil, scope: [SQLQueryString] = []) -> SQLQueryString {
        let prefix = alias.map { $0 + "." } ?? ""
        var lookup: SQLQueryString = "SELECT \(unsafeRaw: prefix)created_at FROM \(unsafeRaw: table)\(unsafeRaw: alias.map { " " + $0 } ?? "") WHERE \(unsafeRaw: prefix)id = \(bind: id)"
        for condition in scope {
            lookup.appendInterpolation(unsafeRaw: " AND ")
            lookup.appendInterpolation(condition)
        }
        let stored: SQLQueryString = "COALESCE((\(lookup)), \(bind: AcceptedTimes.clamped(createdAt)))"
        return "(\(unsafeRaw: prefix)created_at < \(stored) OR (\(unsafeRaw: prefix)created_at = \(stored) AND \(unsafeRaw: prefix)id < \(bind: id)))"
    }

    /// The ORDER BY matching `after`.
    public static func orderBy(alias: String? = nil) -> String {
        let prefix = alias.map { $0 + "." } ?? ""
        return " ORDER BY \(prefix)created_at DESC, \(prefix)id DESC"
    }
}
