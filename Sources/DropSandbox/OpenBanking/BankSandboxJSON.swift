import Foundation
import HTTPTypes
import Hummingbird

/// JSON in and out of the bank's API. Bodies are loose dictionaries because NextGenPSD2 objects
/// are "one of several shapes" (e.g. `access`, account references), which Codable handles badly.
enum BankSandboxJSON {
    static func response(_ status: HTTPResponse.Status, _ object: [String: Any], headers: HTTPFields = HTTPFields()) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func object(from request: Request) async throws(BankSandboxAPIError) -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 256 * 1024)
        } catch {
            throw .format("The body could not be read.")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw .format("The body is not a JSON object.")
        }
        return object
    }

    static func string(_ data: [String: Any], _ key: String) -> String? {
        data[key] as? String
    }

    /// The one account identifier of a BG account reference (`iban` or `bban`).
    static func accountReference(_ value: Any?) -> (identifier: String, isIBAN: Bool)? {
        guard let reference = value as? [String: Any] else { return nil }
        if let iban = reference["iban"] as? String { return (iban, true) }
        if let bban = reference["bban"] as? String { return (bban, false) }
        return nil
    }

    static func text(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func parse(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}
