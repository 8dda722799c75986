import Foundation

/// OTLP/HTTP's JSON encoding of spans (the OpenTelemetry protocol's protobuf JSON mapping: ids in
/// hex, 64-bit integers as strings, enums as numbers), as `POST /v1/traces` takes it.
enum OTLPJSON {
    static func traces(_ spans: [RecordedSpan], resource: [(String, String)], scope: String) -> Data {
        let body: [String: Any] = [
            "resourceSpans": [[
                "resource": ["attributes": resource.map { attribute($0.0, .string($0.1)) }],
                "scopeSpans": [[
                    "scope": ["name": scope],
                    "spans": spans.map(span),
                ]],
            ]],
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static func span(_ span: RecordedSpan) -> [String: Any] {
        var object: [String: Any] = [
            "traceId": span.traceId.hex,
            "spanId": span.spanId.hex,
            "name": span.name,
            "kind": span.kind.rawValue,
            "startTimeUnixNano": String(span.startNanoseconds),
            "endTimeUnixNano": String(span.endNanoseconds),
            "attributes": span.attributes.map { attribute($0.key, $0.value) },
        ]
        if let parent = span.parentSpanId { object["parentSpanId"] = parent.hex }
        switch span.status {
        case .ok?: object["status"] = ["code": 1]
        case .error(let message)?: object["status"] = ["code": 2, "message": message ?? ""]
        case nil: break
        }
        if !span.events.isEmpty {
            object["events"] = span.events.map { event in
                ["name": event.name, "timeUnixNano": String(event.nanoseconds), "attributes": event.attributes.map { attribute($0.key, $0.value) }]
            }
        }
        return object
    }

    static func attribute(_ key: String, _ value: RecordedSpan.Value) -> [String: Any] {
        let encoded: [String: Any]
        switch value {
        case .string(let text): encoded = ["stringValue": text]
        case .int(let number): encoded = ["intValue": String(number)]
        case .double(let number): encoded = ["doubleValue": number.isFinite ? number : 0]
        case .bool(let flag): encoded = ["boolValue": flag]
        }
        return ["key": key, "value": encoded]
    }
}
