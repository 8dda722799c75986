import DropCore
import Tracing

/// A finished span, as the exporter sends it. Attributes hold no personal data: routes are
/// templates, SQL has placeholders instead of values, provider calls name the provider and method.
public struct RecordedSpan: Sendable {
    public enum Kind: Int, Sendable {
        // OTLP's SpanKind numbers.
        case `internal` = 1, server = 2, client = 3, producer = 4, consumer = 5
    }

    public enum Status: Sendable, Equatable {
        case ok
        case error(message: String?)
    }

    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case double(Double)
        case bool(Bool)
    }

    public struct Event: Sendable {
        public let name: String
        public let nanoseconds: UInt64
        public let attributes: [(key: String, value: Value)]
    }

    public let name: String
    public let traceId: TraceId
    public let spanId: SpanId
    public let parentSpanId: SpanId?
    public let kind: Kind
    public let startNanoseconds: UInt64
    public let endNanoseconds: UInt64
    public let attributes: [(key: String, value: Value)]
    public let status: Status?
    public let events: [Event]

    /// An attribute's value as text (tests and the error reporter read these).
    public func string(_ key: String) -> String? {
        switch attributes.first(where: { $0.key == key })?.value {
        case .string(let text)?: text
        case .int(let number)?: String(number)
        case .double(let number)?: String(number)
        case .bool(let flag)?: String(flag)
        case nil: nil
        }
    }
}

extension RecordedSpan.Kind {
    init(_ kind: SpanKind) {
        switch kind {
        case .server: self = .server
        case .client: self = .client
        case .producer: self = .producer
        case .consumer: self = .consumer
        case .internal: self = .internal
        }
    }
}

extension RecordedSpan.Value {
    /// Arrays and other shapes become text: Drop's spans don't use them.
    init(_ attribute: SpanAttribute) {
        switch attribute {
        case .string(let text): self = .string(text)
        case .int32(let number): self = .int(Int64(number))
        case .int64(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .bool(let flag): self = .bool(flag)
        case .stringConvertible(let value): self = .string(value.description)
        default: self = .string("\(attribute)")
        }
    }
}
