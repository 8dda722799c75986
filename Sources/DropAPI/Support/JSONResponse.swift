import Foundation
import Hummingbird

/// Drop's JSON conventions in one place: camelCase keys, RFC 3339 UTC dates, `application/json; charset=utf-8`.
public enum JSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(rfc3339(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// `2026-12-02T13:01:22Z`. Every date in every answer goes through here, so it is written out
    /// by hand: the FormatStyle took a visible share of a JSON read's time.
    public static func rfc3339(_ date: Date) -> String {
        guard let parts = utcParts(date) else { return rfc3339Formatted(date) }
        return String(unsafeUninitializedCapacity: 20) { write(parts, into: $0) }
    }

    /// `rfc3339(date)` as a JSON string, in its double quotes, appended to `buffer` without making a
    /// string of it (`JSONWriter`).
    static func writeRFC3339(_ date: Date, quotedTo buffer: inout ByteBuffer) {
        guard let parts = utcParts(date) else {
            buffer.writeString("\"\(rfc3339Formatted(date))\"")
            return
        }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 22) { raw in
            let bytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            bytes[0] = UInt8(ascii: "\"")
            bytes[21] = UInt8(ascii: "\"")
            return 2 + write(parts, into: UnsafeMutableBufferPointer(start: bytes + 1, count: 20))
        }
    }

    /// The date's calendar fields in UTC; nil outside years 1–9999, which the formatter writes.
    private static func utcParts(_ date: Date) -> tm? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval >= -62_135_596_800, interval < 253_402_300_800 else { return nil }
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return nil }
        return parts
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` into the first 20 bytes of `bytes`; returns 20.
    private static func write(_ parts: tm, into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        func put(_ value: Int32, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(parts.tm_year + 1900, at: 0, digits: 4)
        bytes[4] = UInt8(ascii: "-")
        put(parts.tm_mon + 1, at: 5, digits: 2)
        bytes[7] = UInt8(ascii: "-")
        put(parts.tm_mday, at: 8, digits: 2)
        bytes[10] = UInt8(ascii: "T")
        put(parts.tm_hour, at: 11, digits: 2)
        bytes[13] = UInt8(ascii: ":")
        put(parts.tm_min, at: 14, digits: 2)
        bytes[16] = UInt8(ascii: ":")
        put(parts.tm_sec, at: 17, digits: 2)
        bytes[19] = UInt8(ascii: "Z")
        return 20
    }

    static func rfc3339Formatted(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }

    /// A JSON response with the given status.
    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        response(json: ByteBuffer(bytes: try encoder.encode(value)), status: status, headers: headers)
    }

    /// A response of JSON encoded already (by `encoder`).
    public static func response(json: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: json))
    }
}

extension Request {
    /// Reads and decodes a JSON body. Malformed JSON or wrong field types become 400 with
    /// `details` naming the field; bodies over the limit become 413.
    public func decodeJSON<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else {
            throw AppError.badRequest("A JSON body is required.", details: [ErrorDetail(field: nil, issue: "required")])
        }
        return try JSON.decoder.decode(T.self, from: Data(buffer: buffer))
    }
}
