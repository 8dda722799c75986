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
    public static func after(createdAt: Date, id: String, table: String, alias: String? = nil) -> SQLQueryString {
        let prefix = alias.map { $0 + "." } ?? ""
        let stored: SQLQueryString = "COALESCE((SELECT p.created_at FROM \(unsafeRaw: table) p WHERE p.id = \(bind: id)), \(bind: AcceptedTimes.clamped(createdAt)))"
        return "(\(unsafeRaw: prefix)created_at < \(stored) OR (\(unsafeRaw: prefix)created_at = \(stored) AND \(unsafeRaw: prefix)id < \(bind: id)))"
    }

    /// The ORDER BY matching `after`.
    public static func orderBy(alias: String? = nil) -> String {
        let prefix = alias.map { $0 + "." } ?? ""
        return " ORDER BY \(prefix)created_at DESC, \(prefix)id DESC"
    }
}
