import Foundation

/// The names of a JSON object's fields, and which of them are `null`. A typed decode can't tell a
/// field left out from one sent as `null` (an Optional reads both as nil), nor see a field its type
/// doesn't name; this reads exactly that, for assertions such as "`nextCursor` is sent as null, not
/// left out" or "no `pidHash` leaves the server". Everything else is read with a typed decode.
public struct JSONFieldNames: Decodable, Sendable, Equatable {
    /// Every field the object has, whatever its value.
    public let all: Set<String>
    /// The fields whose value is `null`.
    public let null: Set<String>

    public func contains(_ name: String) -> Bool { all.contains(name) }
    /// Sent, with the value `null`.
    public func isNull(_ name: String) -> Bool { null.contains(name) }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: Key.self)
        all = Set(object.allKeys.map(\.stringValue))
        null = Set(try object.allKeys.filter { try object.decodeNil(forKey: $0) }.map(\.stringValue))
    }

    /// The field names of the JSON object in `data`.
    public static func of(_ data: some DataProtocol) throws -> JSONFieldNames {
        try JSONDecoder().decode(JSONFieldNames.self, from: Data(data))
    }
}
