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
    ///
    /// The table is open-addressed on an FNV-1a hash of the name: a `Dictionary` hashes a `String` with
    /// SipHash, which for names of a few bytes was most of a lookup, and a page of 21 rows of 30 columns
    /// looks up 630 (bench/README, "Fewer, larger writes").
    final class Columns: Sendable {
        private let names: [String]
        /// Each slot holds a position plus one, or 0 when empty; at least twice as many slots as names.
        private let slots: [Int]

        init(names: [String]) {
            var size = 8
            while size < 2 * names.count { size *= 2 }
            var slots = [Int](repeating: 0, count: size)
            for (position, name) in names.enumerated() {
                slots[Self.slot(of: name, in: slots, names: names)] = position + 1
            }
            self.names = names
            self.slots = slots
        }

        func position(of column: String) -> Int? {
            let entry = slots[Self.slot(of: column, in: slots, names: names)]
            return entry == 0 ? nil : entry - 1
        }

        /// The slot that holds `name`, or the empty slot where it would go.
        private static func slot(of name: String, in slots: [Int], names: [String]) -> Int {
            let mask = slots.count - 1
            var slot = hash(name) & mask
            while slots[slot] != 0, names[slots[slot] - 1] != name { slot = (slot + 1) & mask }
            return slot
        }

        private static func hash(_ name: String) -> Int {
            var name = name
            return name.withUTF8 { bytes in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                return Int(truncatingIfNeeded: hash)
            }
        }
    }

    /// Makes a statement's rows in the order they come, giving the second and later ones a shared `Columns`.
    struct Reader {
        private var rowsRead = 0
        private var columns: Columns?

        mutating func row(_ row: PostgresRow) -> PostgresPreparedRow {
            let cells = row.makeRandomAccess()
            rowsRead += 1
            if rowsRead == 2 { columns = Columns(names: cells.map(\.columnName)) }
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
        if let columns { return columns.position(of: column).map { cells[$0] } }
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
