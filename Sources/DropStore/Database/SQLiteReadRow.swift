import Foundation
import SQLiteKit
import SQLiteNIO
import SQLKit

/// A row of a statement on SQLite (`SQLiteSession`, `SQLiteKeptStatements`), as `SQLRow`.
///
/// SQLiteKit's own row decodes every value through `SQLiteDataDecoder`: a dynamic cast to find the
/// type's conversion and, for an optional, a `Decoder` made around the value and `Optional`'s
/// `init(from:)`. For a restart's first visits to `/v1/transactions` on SQLite that was about a sixth
/// of Drop's CPU (docs/decisions/0015, "SQLite's rows too"). Here the types Drop's records are
/// made of (text, integers, timestamps, booleans and their optionals) go straight to SQLiteNIO's
/// conversion for the type, where SQLiteKit's decoder ends up for them too, and a null is nil as it
/// is there; anything else is left to SQLiteKit, so a value decodes the same either way.
struct SQLiteReadRow: SQLRow {
    private let storage: Storage

    /// SQLiteNIO's row, or a kept statement's values beside its columns' names (shared by its rows).
    private enum Storage {
        case sqliteNIO(SQLiteRow)
        case kept(Columns, [SQLiteData])
    }

    /// A statement's column names and where each first appears, as SQLiteNIO looks them up.
    final class Columns: Sendable {
        let names: [String]
        private let offsets: [String: Int]

        init(names: [String]) {
            self.names = names
            offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }

        func offset(of name: String) -> Int? { offsets[name] }
    }

    init(row: SQLiteRow) { storage = .sqliteNIO(row) }

    init(columns: Columns, values: [SQLiteData]) { storage = .kept(columns, values) }

    var allColumns: [String] {
        switch storage {
        case .sqliteNIO(let row): row.columns.map(\.name)
        case .kept(let columns, _): columns.names
        }
    }

    func contains(column: String) -> Bool { data(column) != nil }

    /// A missing column reads as null, as SQLiteKit's row has it.
    func decodeNil(column: String) throws -> Bool {
        guard let data = data(column) else { return true }
        return data == .null
    }

    /// Each branch has checked that `D` is the very type converted, so the cast back is exact.
    func decode<D: Decodable>(column: String, as _: D.Type) throws -> D {
        guard let data = data(column) else { throw MissingColumn(column: column) }
        let type: Any.Type = D.self
        if type == String.self { return unsafeBitCast(try Self.value(String.self, data), to: D.self) }
        if type == RowOptionals.string { return unsafeBitCast(try Self.optional(String.self, data), to: D.self) }
        if type == Int64.self { return unsafeBitCast(try Self.value(Int64.self, data), to: D.self) }
        if type == RowOptionals.int64 { return unsafeBitCast(try Self.optional(Int64.self, data), to: D.self) }
        if type == Int.self { return unsafeBitCast(try Self.value(Int.self, data), to: D.self) }
        if type == RowOptionals.int { return unsafeBitCast(try Self.optional(Int.self, data), to: D.self) }
        if type == Date.self { return unsafeBitCast(try Self.value(Date.self, data), to: D.self) }
        if type == RowOptionals.date { return unsafeBitCast(try Self.optional(Date.self, data), to: D.self) }
        if type == Bool.self { return unsafeBitCast(try Self.value(Bool.self, data), to: D.self) }
        if type == RowOptionals.bool { return unsafeBitCast(try Self.optional(Bool.self, data), to: D.self) }
        // What SQLiteKit's row does for any other type: its default decoder on the column's value.
        return try SQLiteDataDecoder().decode(D.self, from: data)
    }

    private func data(_ column: String) -> SQLiteData? {
        switch storage {
        case .sqliteNIO(let row): row.column(column)
        case .kept(let columns, let values): columns.offset(of: column).map { values[$0] }
        }
    }

    /// What `SQLiteDataDecoder` gives for a convertible type, its error included.
    private static func value<T: SQLiteDataConvertible>(_: T.Type, _ data: SQLiteData) throws -> T {
        guard let value = T(sqliteData: data) else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "Could not convert SQLite data to \(T.self): \(data)."))
        }
        return value
    }

    /// An optional as `SQLiteDataDecoder` reads one: nil for null, else the wrapped type's value.
    private static func optional<T: SQLiteDataConvertible>(_: T.Type, _ data: SQLiteData) throws -> T? {
        data == .null ? nil : try value(T.self, data)
    }
}
