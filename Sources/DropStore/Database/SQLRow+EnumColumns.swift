import Foundation
import SQLKit

extension SQLRow {
    /// A column holding one of `Value`'s raw values (a status, a kind, a role), read as the text it
    /// is and matched to a case. Records carry the domain's enums; decode their columns through here
    /// rather than `decode(column:as:)`, whose `Decodable` path costs a dynamic cast and a decoder per
    /// cell on PostgreSQL, and which a prepared row hands to PostgresKit's own row
    /// (`PostgresPreparedRow`). The outcome is the same: the case, or an error naming the value.
    public func decode<Value: RawRepresentable>(column: String, caseOf type: Value.Type) throws -> Value
    where Value.RawValue == String {
        let raw = try decode(column: column, as: String.self)
        guard let value = Value(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "Column \(column) holds \(raw), which is not a \(Value.self)."))
        }
        return value
    }
}
