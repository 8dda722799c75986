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
    /// A statement's column positions by name, shared by its rows from the second on: PostgresNIO's own
    /// table is looked up twice per value (`contains`, then the name subscript), which for a page of rows
    /// costs more than making one table; a statement of one row keeps to PostgresNIO's. Of two columns with
    /// one name the last counts, as in PostgresNIO's table.
    final class Columns: Sendable {
        let position: [String: Int]

        init(_ cells: PostgresRandomAccessRow) {
            position = Dictionary(cells.enumerated().map { ($1.columnName, $0) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// Makes a statement's rows in the order they come, giving the second and later ones a shared `Columns`.
    struct Reader {
        private var rowsRead = 0
        private var columns: Columns?

        mutating func row(_ row: PostgresRow) -> PostgresPreparedRow {
            let cells = row.makeRandomAccess()
            rowsRead += 1
            if rowsRead == 2 { columns = Columns(cells) }
            return PostgresPreparedRow(row: row, cells: cells, columns: columns)
        }
    }

    let row: PostgresRow
    let cells: PostgresRandomAccessRow
    /// nil for a statement's first row, which looks its columns up in PostgresNIO's table.
    let columns: Columns?

    private init(row: PostgresRow, cells: PostgresRandomAccessRow, columns: Columns?) {
        self.row = row
        self.cells = cells
        self.columns = columns
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cell(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        cell(column)?.bytes == nil
    }

    private func cell(_ column: String) -> PostgresCell? {
        if let columns { return columns.position[column].map { cells[$0] } }
        return cells.contains(column) ? cells[column] : nil
    }

    /// The types Drop's records are made of (text, integers, timestamps, booleans and their optionals)
    /// through PostgresNIO's decoder for the type; anything else through PostgresKit. Each branch has
    /// checked that `D` is the very type decoded, so the cast back is exact. (Written out here rather
    /// than returning a `D?` from a helper: that made the metadata of `D?` on every call.)
    func decode<D: Decodable>(column: String, as _: D.Type) throws -> D {
        guard let cell = cell(column) else { throw MissingColumn(column: column) }
        // PostgresKit reads a user-defined type (an enum of Fluent's) as text: leave those to it.
        if !cell.dataType.isUserDefined {
            let type: Any.Type = D.self
            if type == String.self { return unsafeBitCast(try cell.decode(String.self), to: D.self) }
            if type == RowOptionals.string { return unsafeBitCast(try cell.decode(String?.self), to: D.self) }
            if type == Int64.self { return unsafeBitCast(try cell.decode(Int64.self), to: D.self) }
            if type == RowOptionals.int64 { return unsafeBitCast(try cell.decode(Int64?.self), to: D.self) }
            if type == Int.self { return unsafeBitCast(try cell.decode(Int.self), to: D.self) }
            if type == RowOptionals.int { return unsafeBitCast(try cell.decode(Int?.self), to: D.self) }
            if type == Date.self { return unsafeBitCast(try cell.decode(Date.self), to: D.self) }
            if type == RowOptionals.date { return unsafeBitCast(try cell.decode(Date?.self), to: D.self) }
            if type == Bool.self { return unsafeBitCast(try cell.decode(Bool.self), to: D.self) }
            if type == RowOptionals.bool { return unsafeBitCast(try cell.decode(Bool?.self), to: D.self) }
        }
        return try row.sql().decode(column: column, as: D.self)
    }
}
