import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as browsers post forms.
struct FormBody: Sendable {
    let fields: [String: String]

    static func read(_ request: Request, limit: Int = 16 * 1024) async throws -> FormBody {
        let buffer = try await request.body.collect(upTo: limit)
        return parse(String(buffer: buffer))
    }

    /// The same encoding as a GET form's query string.
    static func parse(_ encoded: String) -> FormBody {
        var fields: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return FormBody(fields: fields)
    }

    subscript(_ name: String) -> String? { fields[name] }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
