import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// A row of a prepared read on PostgreSQL (`PostgresSession.prepared`), as `SQLRow`.
///
/// PostgresKit's own row finds every column through a dictionary built for that row and decodes
/// every value through its generic path: an array for the coding path, a dynamic cast to find the
/// type's PostgreSQL decoder, then the checks Fluent needs. Decoding a page of transactions that
/// way was about a third of what a first visit to `/dashboard` cost Drop (bench/README.md,
/// "Rows decoded directly"). Here the columns are looked up in one table shared by the statement's
/// rows, and the types Drop's records are made of (text, integers, timestamps, booleans and their
/// optionals) go straight to PostgresNIO's decoder for that type, which is where PostgresKit ends up
/// for them too. Anything else is left to PostgresKit, so a value decodes the same either way.
struct PostgresPreparedRow: SQLRow {
    /// Column names to positions, built once per statement from its first row.
    final class Columns: Sendable {
        let positions: [String: Int]
        let names: [String]

        init(_ row: PostgresRow) {
            let names = row.map(\.columnName)
            self.names = names
            // A name given twice is read from its first column, as PostgresKit does.
            self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "The row has no column \(column)." }
    }

    let row: PostgresRow
    let columns: Columns
    let cells: [PostgresCell]

    init(_ row: PostgresRow, columns: Columns) {
        self.row = row
        self.columns = columns
        self.cells = Array(row)
    }

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.positions[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.positions[column] else { return true }
        return cells[position].bytes == nil
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.positions[column] else { throw MissingColumn(column: column) }
        let cell = cells[position]
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
