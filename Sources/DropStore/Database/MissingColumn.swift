/// A column a row doesn't have, asked for by name.
struct MissingColumn: Error, CustomStringConvertible {
    let column: String
    var description: String { "The row has no column \(column)." }
}
