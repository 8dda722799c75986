import DropCore
import Foundation
import Logging

/// Writes one JSON object per line to standard error: `ts`, `level`, `msg`, `logger` and the
/// metadata (request id, route, status…). Callers put no personal data in messages or metadata.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = Self.line(level: event.level, message: event.message.description, label: label,
                             metadata: metadata, extra: event.metadata, at: Date())
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// One line: the fixed keys, then the handler's metadata, then the event's, a later key winning
    /// over an earlier one, all sorted by key for stable lines. Built as bytes by hand: this runs for
    /// every request at info level, and dictionaries, `JSONSerialization` and `FileHandle` cost more
    /// than the request the line describes (bench/README.md, "The access log's cost").
    static func line(level: Logger.Level, message: String, label: String, metadata: Logger.Metadata,
                     extra: Logger.Metadata?, at date: Date) -> [UInt8] {
        var fields: [Field] = []
        fields.reserveCapacity(4 + metadata.count + (extra?.count ?? 0))
        fields.append(Field(key: "ts", value: .string(timestamp(date))))
        fields.append(Field(key: "level", value: .string(level.rawValue)))
        fields.append(Field(key: "msg", value: .string(message)))
        fields.append(Field(key: "logger", value: .string(label)))
        for (key, value) in metadata { fields.append(Field(key: key, value: value)) }
        for (key, value) in extra ?? [:] { fields.append(Field(key: key, value: value)) }
        // Sorted by key, equal keys kept in the order given (an insertion sort: there are about ten),
        // so that of equal keys the last one given is the one written.
        for next in fields.indices.dropFirst() {
            var index = next
            while index > 0, fields[index].key < fields[index - 1].key {
                fields.swapAt(index, index - 1)
                index -= 1
            }
        }
        var line: [UInt8] = [UInt8(ascii: "{")]
        line.reserveCapacity(256)
        for index in fields.indices {
            if index + 1 < fields.count, fields[index + 1].key == fields[index].key { continue }
            if line.count > 1 { line.append(UInt8(ascii: ",")) }
            appendQuoted(fields[index].key, to: &line)
            line.append(UInt8(ascii: ":"))
            append(fields[index].value, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    /// A key and its value; a struct rather than a tuple, whose copies go through generic code.
    private struct Field {
        let key: String
        let value: Logger.Metadata.Value
    }

    static func append(_ value: Logger.Metadata.Value, to line: inout [UInt8]) {
        switch value {
        case .string(let string): appendQuoted(string, to: &line)
        case .stringConvertible(let convertible): appendQuoted(convertible.description, to: &line)
        case .array, .dictionary:
            let data = try? JSONSerialization.data(withJSONObject: plain(value), options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
            line.append(contentsOf: data ?? Data("null".utf8))
        }
    }

    /// A JSON string, escaped as every JSON Drop writes by hand escapes it (`JSONString`).
    static func appendQuoted(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { JSONString.escape($0) { line.append(contentsOf: $0) } }
        line.append(UInt8(ascii: "\""))
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let array): return array.map(plain)
        case .dictionary(let dictionary): return dictionary.mapValues(plain)
        }
    }

    /// `2026-12-02T13:01:22.123Z`
    static func timestamp(_ date: Date = Date()) -> String {
        let seconds = JSON.rfc3339(date)
        let millis = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1000)
        let fraction = String(min(999, max(0, millis)))
        return String(seconds.dropLast()) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }
}
