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
        // Metadata wins over the fixed keys, as it always has; keys sorted for stable lines.
        var fields: [String: Logger.Metadata.Value] = [
            "ts": .string(Self.timestamp()),
            "level": .string(event.level.rawValue),
            "msg": .string(event.message.description),
            "logger": .string(label),
        ]
        fields.merge(metadata) { $1 }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        // Written by hand: this runs for every request at info level, and JSONSerialization over
        // [String: Any] cost more than the request it described.
        var line = "{"
        line.reserveCapacity(256)
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { line += "," }
            Self.appendQuoted(key, to: &line)
            line += ":"
            Self.append(fields[key]!, to: &line)
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func append(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let string): appendQuoted(string, to: &line)
        case .stringConvertible(let convertible): appendQuoted(convertible.description, to: &line)
        case .array, .dictionary:
            let data = (try? JSONSerialization.data(withJSONObject: plain(value), options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]))
            line += data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as is.
    static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
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
