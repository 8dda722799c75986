import Foundation

/// JSON that Drop keeps in a text column: audit details, alert details, a notification's link.
/// Always encoded from a value, never spliced together by hand, so no value (a partner's reason
/// code, a rule's reason) can break out of its field; keys sorted, so the same value is always
/// the same bytes (the audit hash covers them).
enum StoredJSON {
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func value<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
