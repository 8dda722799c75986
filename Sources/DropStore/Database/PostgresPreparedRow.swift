import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// A row of a prepared read on PostgreSQL (`PostgresSession.prepared`), as `SQLRow`.
///
/// PostgresKit's own row decodes every value through its generic path: an array for the coding
/// path, a dynamic cast to find the type's PostgreSQL decoder, then the checks Fluent needs, before
/// it calls that decoder. For a first visit to `/dashboard` that was about a sixth of Drop's CPU
/// (bench/README.md, "First visits, probes, and tails to the hundredth"). Here the types Drop's
/// records are made of (text, integers, timestamps, booleans and their optionals) go straight to
/// PostgresNIO's decoder for the type, where PostgresKit ends up for them too; anything else is left
/// to PostgresKit, so a value decodes the same either way.
struct PostgresPreparedRow: SQLRow {
    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "The row has no column \(column)." }
    }

    let row: PostgresRow
    /// The row's cells by column name (the statement's name table, shared by its rows).
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        self.cells = row.makeRandomAccess()
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        !cells.contains(column) || cells[column].bytes == nil
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard cells.contains(column) else { throw MissingColumn(column: column) }
        let cell = cells[column]
        // PostgresKit reads a user-defined type (an enum of Fluent's) as text: leave those to it.
        if !cell.dataType.isUserDefined, let value = try Self.direct(cell, as: D.self) { return value }
        return try row.sql().decode(column: column, as: D.self)
    }

    /// The value through PostgresNIO's decoder for `D`, for the types records use; nil for others.
    /// Each branch has checked that `D` is the very type decoded, so the cast back is exact.
    private static func direct<D>(_ cell: PostgresCell, as type: D.Type) throws -> D? {
        if D.self == String.self { return unsafeBitCast(try cell.decode(String.self), to: D.self) }
        if D.self == String?.self { return unsafeBitCast(try cell.decode(String?.self), to: D.self) }
        if D.self == Int64.self { return unsafeBitCast(try cell.decode(Int64.self), to: D.self) }
        if D.self == Int64?.self { return unsafeBitCast(try cell.decode(Int64?.self), to: D.self) }
        if D.self == Int.self { return unsafeBitCast(try cell.decode(Int.self), to: D.self) }
        if D.self == Int?.self { return unsafeBitCast(try cell.decode(Int?.self), to: D.self) }
        if D.self == Date.self { return unsafeBitCast(try cell.decode(Date.self), to: D.self) }
        if D.self == Date?.self { return unsafeBitCast(try cell.decode(Date?.self), to: D.self) }
        if D.self == Bool.self { return unsafeBitCast(try cell.decode(Bool.self), to: D.self) }
        if D.self == Bool?.self { return unsafeBitCast(try cell.decode(Bool?.self), to: D.self) }
        return nil
    }
}
