import Foundation

/// What Drop exports, read as a collector reads it: OTLP/HTTP JSON (opentelemetry-proto's JSON
/// mapping: enums as numbers, 64-bit integers as strings) and Sentry's event. Only the fields the
/// tests look at; one the exporter misnames or mistypes fails to decode.
enum OTLPExport {
    struct Traces: Decodable, Sendable {
        struct ResourceSpans: Decodable, Sendable { let scopeSpans: [ScopeSpans] }
        struct ScopeSpans: Decodable, Sendable { let spans: [Span] }
        let resourceSpans: [ResourceSpans]

        var spans: [Span] { resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) } }
    }

    struct Span: Decodable, Sendable, Attributed {
        /// SpanKind.
        enum Kind: Int, Decodable, Sendable { case unspecified, `internal`, server, client, producer, consumer }
        struct Status: Decodable, Sendable {
            /// StatusCode: 0 unset, 1 ok, 2 error.
            let code: Int?
        }

        let traceId: String
        let spanId: String
        let parentSpanId: String?
        let name: String
        let kind: Kind
        let startTimeUnixNano: String
        let attributes: [Attribute]?
        let status: Status?

        func isChild(of parent: Span) -> Bool { traceId == parent.traceId && parentSpanId == parent.spanId }
    }

    /// What carries OTLP attributes (a span, a data point).
    protocol Attributed {
        var attributes: [Attribute]? { get }
    }

    struct Attribute: Decodable, Sendable {
        struct Value: Decodable, Sendable {
            let stringValue: String?
            let intValue: String?
            var text: String? { stringValue ?? intValue }
        }

        let key: String
        let value: Value
    }

    struct Metrics: Decodable, Sendable {
        struct ResourceMetrics: Decodable, Sendable { let scopeMetrics: [ScopeMetrics] }
        struct ScopeMetrics: Decodable, Sendable { let metrics: [Metric] }
        let resourceMetrics: [ResourceMetrics]

        var all: [Metric] { resourceMetrics.flatMap { $0.scopeMetrics.flatMap(\.metrics) } }
        subscript(name name: String) -> Metric? { all.first { $0.name == name } }
    }

    struct Metric: Decodable, Sendable {
        struct Sum: Decodable, Sendable {
            let dataPoints: [NumberPoint]
            let isMonotonic: Bool
            /// 2: cumulative.
            let aggregationTemporality: Int
        }

        struct Gauge: Decodable, Sendable { let dataPoints: [NumberPoint] }
        struct Histogram: Decodable, Sendable { let dataPoints: [HistogramPoint] }

        let name: String
        let unit: String?
        let sum: Sum?
        let gauge: Gauge?
        let histogram: Histogram?
    }

    struct NumberPoint: Decodable, Sendable, Attributed {
        let attributes: [Attribute]?
        let asInt: String?
        let asDouble: Double?

    }

    struct HistogramPoint: Decodable, Sendable, Attributed {
        let attributes: [Attribute]?
        let count: String
        let bucketCounts: [String]
        let explicitBounds: [Double]

    }

    /// A Sentry envelope's event item.
    struct SentryEvent: Decodable, Sendable {
        struct Contexts: Decodable, Sendable {
            struct Trace: Decodable, Sendable { let trace_id: String }
            let trace: Trace
        }

        struct Exceptions: Decodable, Sendable {
            struct Exception: Decodable, Sendable { let type: String }
            let values: [Exception]
        }

        /// Present in the event, whatever it holds.
        struct Present: Decodable, Sendable {
            init(from decoder: any Decoder) throws {}
        }

        let transaction: String
        let tags: [String: String]?
        let contexts: Contexts
        let exception: Exceptions
        let user: Present?
        let request: Present?
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ data: Data) throws -> Value {
        try JSONDecoder().decode(type, from: data)
    }
}

extension OTLPExport.Attributed {
    /// The attribute's value as text (a string, or an integer as OTLP JSON writes it).
    func attribute(_ key: String) -> String? { attributes?.first { $0.key == key }?.value.text }
}
