import Foundation

/// What Drop's two row types (`PostgresPreparedRow`, `SQLiteReadRow`) share.

/// A column a row doesn't have, asked for by name.
struct MissingColumn: Error, CustomStringConvertible {
    let column: String
    var description: String { "The row has no column \(column)." }
}

/// The optional types' metadata, looked up once: `String?.self` in a row's `decode` made it on every
/// call, a visible share of a restart's row decoding (bench/README, "Answers written by hand").
enum RowOptionals {
    static let string: Any.Type = String?.self
    static let int64: Any.Type = Int64?.self
    static let int: Any.Type = Int?.self
    static let date: Any.Type = Date?.self
    static let bool: Any.Type = Bool?.self
}
